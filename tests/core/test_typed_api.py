"""The JSON API takes JSON numbers (docs/rules.md#typed-input). Text is read only as plain
digits: DRF's own field read "1.000" as 1 (it drops a trailing ".000"); here it is a 400 with
nothing saved, never another number."""

import pytest

from communes.models import Village
from groups.models import MemberCount

NOT_A_NUMBER = "Nhập một số nguyên, ví dụ 250."

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("sent", "saved"), [(1000, 1000), ("1000", 1000), (1000.0, 1000)])
def test_a_count_is_a_json_number(api_as, officer_a, group_a, sent, saved):
    response = api_as(officer_a).post(
        f"/api/v1/groups/{group_a.pk}/member-counts/",
        {"date": "2021-08-05", "members": sent},
        format="json",
    )

    assert response.status_code == 201
    assert MemberCount.objects.get().members == saved


@pytest.mark.parametrize("sent", ["1.000", "1,000", "21.814", "1.00", 12.5, "12.5", True, "1e3"])
def test_a_count_written_any_other_way_is_refused(api_as, officer_a, group_a, sent):
    response = api_as(officer_a).post(
        f"/api/v1/groups/{group_a.pk}/member-counts/",
        {"date": "2021-08-05", "members": sent},
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {"members": [NOT_A_NUMBER]}
    assert not MemberCount.objects.exists()


def test_a_village_sent_as_a_form_reads_plain_digits_only(api_as, officer_a, commune_a):
    body = {"commune": commune_a.pk, "name": "Thôn Mới", "kind": "thon", "residents": "800"}
    client = api_as(officer_a)

    refused = client.post("/api/v1/villages/", {**body, "households": "1.000"})
    assert refused.status_code == 400
    assert refused.json() == {"households": [NOT_A_NUMBER]}
    assert not Village.objects.exists()

    assert client.post("/api/v1/villages/", {**body, "households": "1000"}).status_code == 201
    assert Village.objects.get().households == 1000
