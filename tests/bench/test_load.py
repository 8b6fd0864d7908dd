"""The load run of `make bench` (bench.load), proven small: gunicorn serves the production
settings on the tiny dataset, locust runs each of its three crowds for a few seconds, every page
answers 200 to the people it signs in, the lines are printed, and the people and sessions made
for the run are gone afterwards. The minute-long runs at the province's scale are `make bench`'s."""

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session

from bench import load
from bmp_comms.scoping import unscoped

pytestmark = pytest.mark.skipif(
    not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
    reason="the load run serves PostgreSQL, as make bench does",
)


def served_database_url() -> str:
    """The test database, for the server the run starts in another process."""
    db = settings.DATABASES["default"]
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    port = db.get("PORT") or 5432
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{port}/{db['NAME']}"


def test_each_crowd_is_served_without_a_failure_and_leaves_nothing(
    transactional_db, capsys, settings
):
    # The sessions made here are signed with the key the served settings get (bench.settings).
    settings.SECRET_KEY = load.SECRET_KEY
    with unscoped():
        results = load.run(
            "tiny", district_users=2, officers=2, seconds=3, database_url=served_database_url()
        )

    assert [(result.label, result.users) for result in results] == [
        ("tiny dashboard (district staff)", 2),
        ("tiny dashboard capacity (no thought between pages)", 2),
        ("tiny officer pages", 2),
    ]
    for result in results:
        assert result.requests > 0 and result.failures == 0, result.line()
        assert result.median_ms <= result.p95_ms
    # without thought, the same two people ask for more pages than thinking 1–2 s each
    assert results[1].rps > results[0].rps
    out = capsys.readouterr().out
    for result in results:
        assert result.line() in out
    assert "failed" not in out
    # the officers and the sessions made for the run are removed
    assert not get_user_model().objects.filter(username__startswith=load.OFFICER_PREFIX).exists()
    assert not Session.objects.exists()
