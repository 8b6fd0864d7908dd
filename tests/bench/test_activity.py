"""The district's activity the bench adds for the dashboard's measures (bench.activity): what it
writes on the tiny dataset, and that it leaves nothing behind."""

import pytest

from bench import activity
from bench.dataset import SCALES, build
from bulletins.models import Bulletin
from communes.models import Commune, Field
from deadlines.models import Deadline, Inspection, Submission

pytestmark = pytest.mark.django_db


def written(district) -> dict[str, int]:
    return {
        "deadlines": Deadline.objects.filter(district=district).count(),
        "covered": Deadline.communes.through.objects.filter(deadline__district=district).count(),
        "submissions": Submission.objects.filter(deadline__district=district).count(),
        "inspections": Inspection.objects.filter(commune__district=district).count(),
        "published": Bulletin.objects.filter(
            commune__district=district, status="published"
        ).count(),
        "drafts": Bulletin.objects.filter(commune__district=district, status="draft").count(),
    }


def test_activity_is_added_once_and_removed_entirely():
    built = build(SCALES["tiny"])
    nothing = dict.fromkeys(written(built.district), 0)
    assert written(built.district) == nothing

    activity.add(built.district, built.user)
    activity.add(built.district, built.user)  # again: the same rows, not twice as many

    # For the communes k = 0, 1, 2 (bench.activity): six deadlines covering 3 + 3 + 2 + 3 + 1
    # + 1 communes; submissions: long overdue k 0, 2; recent k 0, 1, 2; today k 0; next week
    # k 0, 1; two inspections; bulletins published on D, D-10, D-40 (k 0, 1, 2), at the start
    # of the 7 days (k 0), just before them (k 2), after D (k 0), and a draft (k 0).
    assert written(built.district) == {
        "deadlines": 6,
        "covered": 13,
        "submissions": 8,
        "inspections": 2,
        "published": 6,
        "drafts": 1,
    }
    activity.remove(built.district)
    assert written(built.district) == nothing
    assert not Field.objects.filter(code=activity.FIELD_CODE).exists()
    assert Commune.objects.filter(district=built.district).count() == 3
