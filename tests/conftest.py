"""The fixed cast: officer and leader of commune A, officer of commune B, district staff and
district leader; every test picks its actors from here. And a PostgreSQL database of its own for
each test that races processes (tests/processes.py)."""

import os
import uuid
from urllib.parse import urlsplit, urlunsplit

import psycopg2
import pytest
from django.utils import translation
from rest_framework.test import APIClient

from bmp_comms.scoping import scope_enforced, unscoped
from communes.models import Role
from tests.factories import CommuneFactory, DistrictFactory, make_user
from tests.ids import start_ids_at

# Fixtures shared by the areas' API and page tests: the rows each role acts on, and the pages'
# objects and readers.
pytest_plugins = ["tests.cast", "tests.pages"]


@pytest.fixture(scope="session", autouse=True)
def _unscoped_by_default():
    """Tests build and count rows freely (`Village.objects.count()`): scoping is off for the
    whole run, module-wide fixtures included. A test marked `scoped` runs its body with it on;
    a live server's threads, which start with a fresh context, have it on too."""
    with unscoped():
        yield


@pytest.fixture(autouse=True)
def _default_language_after_each_test():
    """A page asked for in English leaves English active in the test's thread (LocaleMiddleware
    activates the request's language and nothing turns it off): the next test, which may call
    a service directly, starts in the default language again."""
    yield
    translation.deactivate()


@pytest.hookimpl(wrapper=True)
def pytest_pyfunc_call(pyfuncitem):
    # The body only, once every fixture has built its rows: the pages and the API it calls must
    # scope each query themselves (bmp_comms.scoping).
    if pyfuncitem.get_closest_marker("scoped") is None:
        return (yield)
    with scope_enforced():
        return (yield)


@pytest.fixture
def district(db):
    return DistrictFactory()


@pytest.fixture
def commune_a(district):
    return CommuneFactory(district=district, code="25267", name="Phú Nghĩa", slug="phu-nghia")


@pytest.fixture
def commune_b(district):
    return CommuneFactory(district=district, code="25231", name="Đa Kia", slug="da-kia")


@pytest.fixture
def officer_a(commune_a):
    return make_user(Role.COMMUNE_OFFICER, commune=commune_a, username="xa-a")


@pytest.fixture
def leader_a(commune_a):
    return make_user(Role.COMMUNE_LEADER, commune=commune_a, username="ct-a")


@pytest.fixture
def officer_b(commune_b):
    return make_user(Role.COMMUNE_OFFICER, commune=commune_b, username="xa-b")


@pytest.fixture
def district_staff(district):
    return make_user(Role.DISTRICT_STAFF, district=district, username="vhtt")


@pytest.fixture
def district_leader(district):
    return make_user(Role.DISTRICT_LEADER, district=district, username="chutich")


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def api_as(api_client):
    """`api_as(user)` → an APIClient authenticated as that user."""

    def login(user):
        api_client.force_authenticate(user)
        return api_client

    return login


@pytest.fixture
def high_ids(db):
    """Every table's next id is 1234 or more: links and attributes must still carry 1234."""
    undo = start_ids_at()
    yield
    undo()


def admin_connection(parts):
    """The server's maintenance database. No server there: skipped on a developer's machine,
    but a failure in CI (CI set), where the race must run, as for the browser tests."""
    try:
        return psycopg2.connect(
            host=parts.hostname,
            port=parts.port or 5432,
            user=parts.username or "postgres",
            password=parts.password,
            dbname="postgres",
            connect_timeout=10,
        )
    except psycopg2.OperationalError as exc:
        where = f"{parts.hostname}:{parts.port or 5432}"
        if os.environ.get("CI"):
            pytest.fail(f"No PostgreSQL server at {where}: CI must run the race on it ({exc})")
        pytest.skip(f"No PostgreSQL server at {where} ({exc})")


@pytest.fixture
def postgres_database():
    """A fresh PostgreSQL database for the race, dropped afterwards. The server is the one of
    DATABASE_URL when it names PostgreSQL, else the local one at 127.0.0.1:5432."""
    current = os.environ.get("DATABASE_URL", "")
    base = current if current.startswith("postgres") else "postgres://postgres@127.0.0.1:5432/"
    parts = urlsplit(base)
    name = f"bmp_reports_race_{uuid.uuid4().hex[:10]}"
    admin = admin_connection(parts)
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()
