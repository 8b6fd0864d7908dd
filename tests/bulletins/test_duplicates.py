"""Duplicate news (docs/rules.md): flagged at submit and again at approval against the commune's
bulletins of the 14 days before, by another author; approving needs an explicit override."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from bulletins import services
from communes.models import FieldAssignment, Role
from tests.bulletins.conftest import HEALTH_BODY, NOW, OTHER_HEALTH_BODY, at
from tests.factories import make_user

pytestmark = pytest.mark.usefixtures("frozen")

NEAR_COPY = HEALTH_BODY.replace("12/8/2021", "13/8/2021")


@pytest.fixture
def second_officer(commune_a):
    """Another officer of A, who answers for culture and society."""
    user = make_user(Role.COMMUNE_OFFICER, commune=commune_a, username="xa-a2")
    FieldAssignment.objects.create(
        commune=commune_a, field_id="van-hoa-xa-hoi", officer=user.officer
    )
    return user


@pytest.fixture
def earlier(write, officer_a, health_assignment):
    """A health bulletin of A's officer, submitted at NOW."""
    return services.bulletin_submit(bulletin=write(officer_a), actor=officer_a)


def submit_copy(write, author, body=NEAR_COPY, **fields):
    bulletin = write(author, field="van-hoa-xa-hoi", body=body, **fields)
    return services.bulletin_submit(bulletin=bulletin, actor=author)


def test_a_near_copy_by_another_author_is_flagged_but_submitted(write, earlier, second_officer):
    copy = submit_copy(write, second_officer)

    assert copy.status == "submitted"
    assert copy.duplicate_of == [earlier.pk]
    assert f"#{earlier.pk}" in copy.transitions.last().note


def test_other_news_on_the_same_topic_is_not_flagged(write, earlier, second_officer):
    other = submit_copy(write, second_officer, body=OTHER_HEALTH_BODY, title="Tiêm cho người già")

    assert other.duplicate_of == []


def test_the_same_authors_own_bulletins_do_not_count(write, earlier, officer_a):
    again = services.bulletin_submit(bulletin=write(officer_a, body=NEAR_COPY), actor=officer_a)

    assert again.duplicate_of == []


def test_drafts_and_rejected_ones_do_not_count(write, officer_a, leader_a, second_officer):
    write(officer_a)  # a draft
    rejected = services.bulletin_submit(bulletin=write(officer_a), actor=leader_a)
    services.bulletin_reject(bulletin=rejected, actor=leader_a, reason="Trùng")

    assert submit_copy(write, second_officer).duplicate_of == []


def test_older_than_14_days_does_not_count(write, officer_a, health_assignment, second_officer):
    with at(NOW - datetime.timedelta(days=14, minutes=1)):
        services.bulletin_submit(bulletin=write(officer_a), actor=officer_a)

    assert submit_copy(write, second_officer).duplicate_of == []


def test_another_communes_bulletins_do_not_count(write, earlier, officer_b, leader_a):
    # Commune B writes the same text: it is B's news, not a second poster of A's.
    leader_b = make_user(Role.COMMUNE_LEADER, commune=officer_b.profile.commune, username="ct-b")
    copy = write(officer_b, body=NEAR_COPY)
    assert services.bulletin_submit(bulletin=copy, actor=leader_b).duplicate_of == []


def test_approving_a_duplicate_needs_the_override_which_is_recorded(
    write, earlier, second_officer, leader_a
):
    copy = submit_copy(write, second_officer)

    with pytest.raises(ValidationError) as refused:
        services.bulletin_approve(bulletin=copy, actor=leader_a)
    [message] = refused.value.message_dict["override_duplicate"]
    assert f"#{earlier.pk}" in message and "xác nhận vẫn duyệt dù trùng" in message
    copy.refresh_from_db()
    assert copy.status == "submitted"

    copy = services.bulletin_approve(bulletin=copy, actor=leader_a, override_duplicate=True)
    assert (copy.status, copy.duplicate_override, copy.duplicate_of) == (
        "approved", True, [earlier.pk],
    )  # fmt: skip
    assert f"#{earlier.pk}" in copy.transitions.last().note


def test_duplicates_are_computed_again_at_approval(write, officer_a, leader_a, second_officer):
    # Submitted first, the copy repeats nothing; the original submitted later is found at
    # approval.
    copy = submit_copy(write, second_officer)
    assert copy.duplicate_of == []
    original = services.bulletin_submit(bulletin=write(officer_a), actor=leader_a)

    with pytest.raises(ValidationError):
        services.bulletin_approve(bulletin=copy, actor=leader_a)
    copy.refresh_from_db()
    assert copy.duplicate_of == []  # nothing changed by the refusal
    approved = services.bulletin_approve(bulletin=copy, actor=leader_a, override_duplicate=True)
    assert approved.duplicate_of == [original.pk]
