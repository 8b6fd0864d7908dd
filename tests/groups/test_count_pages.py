"""Recording member counts of a group and Bluzone installs of a village for a date."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from communes.models import BluzoneCount
from groups.models import MemberCount
from tests.factories import BluzoneCountFactory, MemberCountFactory
from tests.pages import field_error, invalid_controls, text_of, vi

# 10:00 on 6 August 2021 in Hà Nội: "today" is 06/08/2021, tomorrow 07/08/2021.
NOW = datetime.datetime(2021, 8, 6, 3, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


def member_url(group):
    return reverse("member-count-create", args=[group.pk])


def bluzone_url(village):
    return reverse("bluzone-count-create", args=[village.pk])


@pytest.mark.django_db
def test_officer_records_members_for_a_date(client_as, officer_a, group_a):
    response = client_as(officer_a).post(
        member_url(group_a), {"date": "05/08/2021", "members": "187"}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("commune-detail", args=["25267"])
    count = MemberCount.objects.get()
    assert (count.group, count.date, count.members) == (group_a, datetime.date(2021, 8, 5), 187)
    assert count.recorded_by == officer_a
    assert [str(m) for m in response.wsgi_request._messages] == [
        "Đã ghi số thành viên của “Zalo thôn 1” ngày 05/08/2021."
    ]


@pytest.mark.django_db
def test_the_date_input_defaults_to_today_and_stops_at_today(client_as, officer_a, group_a):
    html = client_as(officer_a).get(member_url(group_a)).content.decode()

    # Typed dd/mm/yyyy whatever the browser's language (docs/rules.md#typed-input); its
    # calendar offers nothing after today.
    assert 'type="text" name="date" value="06/08/2021"' in html
    assert 'placeholder="dd/mm/yyyy"' in html
    assert 'data-max="2021-08-06"' in html


@pytest.mark.django_db
def test_officer_records_bluzone_installs(client_as, officer_a, village_a):
    response = client_as(officer_a).post(
        bluzone_url(village_a), {"date": "2021-08-06", "installs": "95"}
    )

    assert response.status_code == 302
    count = BluzoneCount.objects.get()
    assert (count.village, count.date, count.installs) == (village_a, datetime.date(2021, 8, 6), 95)
    assert count.recorded_by == officer_a


# bmp_comms.validation's message; checked against its literal Vietnamese below.
FUTURE = "Ngày không được ở tương lai."

MEMBER_BAD_INPUT = [
    ("negative", {"date": "05/08/2021", "members": "-3"}, "members", "Nhập số 0 hoặc lớn hơn."),
    ("no date", {"date": "", "members": "120"}, "date", "Vui lòng điền thông tin này."),
    ("future date", {"date": "07/08/2021", "members": "120"}, "date", FUTURE),
    (
        "non-number",
        {"date": "05/08/2021", "members": "một trăm"},
        "members",
        "Nhập một số nguyên, ví dụ 250.",
    ),
    (
        "malformed date",
        {"date": "2021/13/45", "members": "120"},
        "date",
        "Nhập ngày theo dạng dd/mm/yyyy.",
    ),
    (
        "no members",
        {"date": "05/08/2021", "members": ""},
        "members",
        "Vui lòng điền thông tin này.",
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("what", "data", "field", "message"), MEMBER_BAD_INPUT, ids=[b[0] for b in MEMBER_BAD_INPUT]
)
def test_bad_member_count_is_shown_by_its_field_and_nothing_is_saved(
    client_as, officer_a, group_a, what, data, field, message
):
    response = client_as(officer_a).post(member_url(group_a), data)

    assert response.status_code == 400
    assert field_error(response, field) == message
    assert invalid_controls(response) == {field}
    assert not MemberCount.objects.exists()


BLUZONE_BAD_INPUT = [
    ("negative", {"date": "05/08/2021", "installs": "-1"}, "installs", "Nhập số 0 hoặc lớn hơn."),
    ("no date", {"installs": "10"}, "date", "Vui lòng điền thông tin này."),
    ("future date", {"date": "2021-08-07", "installs": "10"}, "date", FUTURE),
    (
        "non-number",
        {"date": "05/08/2021", "installs": "10%"},
        "installs",
        "Nhập một số nguyên, ví dụ 250.",
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("what", "data", "field", "message"), BLUZONE_BAD_INPUT, ids=[b[0] for b in BLUZONE_BAD_INPUT]
)
def test_bad_bluzone_count_is_shown_by_its_field_and_nothing_is_saved(
    client_as, officer_a, village_a, what, data, field, message
):
    response = client_as(officer_a).post(bluzone_url(village_a), data)

    assert response.status_code == 400
    assert field_error(response, field) == message
    assert invalid_controls(response) == {field}
    assert not BluzoneCount.objects.exists()


@pytest.mark.django_db
def test_a_second_member_count_for_the_same_date_is_refused(client_as, officer_a, group_a):
    MemberCountFactory(group=group_a, date=datetime.date(2021, 8, 5), members=150)

    response = client_as(officer_a).post(
        member_url(group_a), {"date": "05/08/2021", "members": "9"}
    )

    assert field_error(response, "date") == vi(
        "A count for this group on this date already exists; correct it instead."
    )
    assert list(MemberCount.objects.values_list("members", flat=True)) == [150]


@pytest.mark.django_db
def test_a_second_bluzone_count_for_the_same_date_is_refused(client_as, officer_a, village_a):
    BluzoneCountFactory(village=village_a, date=datetime.date(2021, 8, 5), installs=40)

    response = client_as(officer_a).post(
        bluzone_url(village_a), {"date": "05/08/2021", "installs": "9"}
    )

    assert field_error(response, "date") == vi(
        "A count for this village on this date already exists."
    )
    assert list(BluzoneCount.objects.values_list("installs", flat=True)) == [40]


@pytest.mark.django_db
def test_another_communes_group_and_village_are_404(client_as, officer_b, group_a, village_a):
    client = client_as(officer_b)
    data = {"date": "05/08/2021", "members": "1", "installs": "1"}

    assert client.post(member_url(group_a), data).status_code == 404
    assert client.post(bluzone_url(village_a), data).status_code == 404
    assert not MemberCount.objects.exists()
    assert not BluzoneCount.objects.exists()


@pytest.mark.django_db
def test_district_leader_cannot_record(client_as, district_leader, group_a, village_a):
    client = client_as(district_leader)
    data = {"date": "05/08/2021", "members": "1", "installs": "1"}

    assert client.post(member_url(group_a), data).status_code == 403
    assert client.post(bluzone_url(village_a), data).status_code == 403
    assert not MemberCount.objects.exists()
    assert not BluzoneCount.objects.exists()


@pytest.mark.django_db
def test_the_latest_counts_are_listed_with_their_dates(client_as, officer_a, group_a, village_a):
    for day, members in ((1, 120), (3, 140), (5, 150)):
        MemberCountFactory(group=group_a, date=datetime.date(2021, 8, day), members=members)
    BluzoneCountFactory(village=village_a, date=datetime.date(2021, 7, 28), installs=61)
    client = client_as(officer_a)

    members = text_of(client.get(member_url(group_a)), "recent-counts")
    installs = text_of(client.get(bluzone_url(village_a)), "recent-counts")

    assert members == "05/08/2021 150 03/08/2021 140 01/08/2021 120"
    assert installs == "28/07/2021 61"
