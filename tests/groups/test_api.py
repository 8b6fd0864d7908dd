"""`groups/` and `groups/<id>/member-counts/`; Bluzone counts under `villages/<id>/`."""

import datetime

import pytest
import time_machine

from communes.models import BluzoneCount
from groups.models import MemberCount, MessagingGroup
from tests.factories import GroupFactory, VillageFactory

TODAY = datetime.datetime(2021, 8, 10, 9, 0, tzinfo=datetime.UTC)


@pytest.mark.django_db
@time_machine.travel(TODAY, tick=False)
def test_register_with_the_required_fields_only(api_as, officer_a, rows_a):
    response = api_as(officer_a).post(
        "/api/v1/groups/",
        {
            "village": rows_a.village.pk,
            "platform": "facebook",
            "name": "Tin thôn",
            "invite_url": "https://facebook.com/groups/tinthon",
        },
        format="json",
    )

    assert response.status_code == 201
    group = MessagingGroup.objects.get(name="Tin thôn")
    assert response.json() == {
        "id": group.pk,
        "village": rows_a.village.pk,
        "platform": "facebook",
        "name": "Tin thôn",
        "invite_url": "https://facebook.com/groups/tinthon",
        "admin_name": "",
        "admin_phone": "",
        "admin_trained": False,
        "admins_only_post": False,
        "established_on": None,
        "status": "active",
        "channel_id": "",
    }
    assert (group.created_by, group.registered_on) == (officer_a, datetime.date(2021, 8, 10))


@pytest.mark.django_db
def test_planned_group_needs_no_link(api_as, officer_a, rows_a):
    response = api_as(officer_a).post(
        "/api/v1/groups/",
        {"village": rows_a.village.pk, "platform": "zalo", "name": "Sắp lập", "status": "planned"},
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["invite_url"] == ""


@pytest.mark.django_db
def test_update_is_kept_in_the_history(api_as, leader_a, rows_a):
    response = api_as(leader_a).patch(
        f"/api/v1/groups/{rows_a.group.pk}/",
        {"admins_only_post": True, "admin_name": "Trần Văn B"},
        format="json",
    )
    assert response.status_code == 200
    group = MessagingGroup.objects.get(pk=rows_a.group.pk)
    assert (group.admins_only_post, group.admin_name) == (True, "Trần Văn B")
    assert group.history.count() == 2


@pytest.mark.django_db
def test_filters_by_village_and_commune(api_as, district_staff, rows_a, rows_b):
    second = GroupFactory(village=VillageFactory(commune=rows_a.village.commune))
    client = api_as(district_staff)

    def ids(query):
        return {row["id"] for row in client.get(f"/api/v1/groups/?{query}").json()["results"]}

    assert ids(f"village={rows_a.village.pk}") == {rows_a.group.pk}
    assert ids(f"commune={rows_a.village.commune_id}") == {rows_a.group.pk, second.pk}
    assert ids(f"commune={rows_b.village.commune_id}") == {rows_b.group.pk}
    response = client.get("/api/v1/groups/?commune=abc")
    assert response.status_code == 400
    assert response.json() == {"commune": ["Nhập một số."]}


@pytest.mark.django_db
def test_villages_filter_by_commune(api_as, district_staff, rows_a, rows_b):
    body = api_as(district_staff).get(f"/api/v1/villages/?commune={rows_b.village.commune_id}")
    assert [row["id"] for row in body.json()["results"]] == [rows_b.village.pk]


@pytest.mark.django_db
@time_machine.travel(TODAY, tick=False)
def test_member_counts_record_list_and_correct(api_as, officer_a, rows_a):
    client = api_as(officer_a)
    url = f"/api/v1/groups/{rows_a.group.pk}/member-counts/"

    response = client.post(url, {"date": "2021-08-08", "members": 140}, format="json")
    assert response.status_code == 201
    assert response.json() == {"date": "2021-08-08", "members": 140}
    assert MemberCount.objects.get(group=rows_a.group, date="2021-08-08").recorded_by == officer_a

    assert client.get(url).json()["results"] == [
        {"date": "2021-08-08", "members": 140},
        {"date": "2021-08-01", "members": 120},
    ]

    # A correction is an edit of the dated count, kept in the history; its date stays.
    response = client.patch(f"{url}2021-08-01/", {"members": 125, "date": "2021-08-02"})
    assert response.status_code == 200
    assert response.json() == {"date": "2021-08-01", "members": 125}
    count = MemberCount.objects.get(pk=rows_a.member_count.pk)
    assert count.members == 125
    assert [h.members for h in count.history.order_by("history_id")] == [120, 125]

    assert client.get(f"{url}2021-08-03/").status_code == 404
    assert client.get(f"{url}2021-13-45/").status_code == 404


@pytest.mark.django_db
@time_machine.travel(TODAY, tick=False)
def test_bluzone_counts_record_and_correct(api_as, district_staff, rows_a):
    client = api_as(district_staff)
    url = f"/api/v1/villages/{rows_a.village.pk}/bluzone-counts/"

    response = client.post(url, {"date": "10/08/2021", "installs": 95}, format="json")
    assert response.status_code == 201
    assert response.json() == {"date": "2021-08-10", "installs": 95}

    response = client.patch(f"{url}2021-08-10/", {"installs": 97}, format="json")
    assert response.status_code == 200
    count = BluzoneCount.objects.get(village=rows_a.village, date="2021-08-10")
    assert (count.installs, count.history.count()) == (97, 2)
    assert [row["date"] for row in client.get(url).json()["results"]] == [
        "2021-08-10",
        "2021-08-01",
    ]


@pytest.mark.django_db
def test_counts_cannot_be_deleted_or_replaced(api_as, officer_a, rows_a):
    client = api_as(officer_a)
    url = f"/api/v1/groups/{rows_a.group.pk}/member-counts/2021-08-01/"
    assert client.delete(url).status_code == 405
    assert client.put(url, {"members": 1}, format="json").status_code == 405
    assert MemberCount.objects.get(pk=rows_a.member_count.pk).members == 120
