"""Both dated counts share one admin: listed and edited by owner, date and number."""

import pytest
from django.urls import reverse

from tests.factories import BluzoneCountFactory, MemberCountFactory


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("factory", "name", "columns"),
    [
        (MemberCountFactory, "groups_membercount", ["group", "date", "members"]),
        (BluzoneCountFactory, "communes_bluzonecount", ["village", "date", "installs"]),
    ],
)
def test_the_admin_lists_and_edits_a_count(admin_client, factory, name, columns):
    count = factory()

    listing = admin_client.get(reverse(f"admin:{name}_changelist"))
    change = admin_client.get(reverse(f"admin:{name}_change", args=[count.pk]))

    assert listing.status_code == change.status_code == 200
    assert all(f"column-{column}" in listing.content.decode() for column in columns)
    assert list(change.context["adminform"].form.fields) == [*columns, "recorded_by"]
