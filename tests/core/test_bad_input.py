"""Bad input (issue "foundation", item 10): 400 in DRF's shape, the message under the field it
concerns and in Vietnamese, and nothing saved."""

import datetime

import pytest
import time_machine

from communes.models import BluzoneCount, FieldAssignment, Officer, Village
from groups.models import MemberCount, MessagingGroup

REQUIRED = "Trường này là bắt buộc."
# Counts and links get the messages the pages give (tests/core/test_same_messages.py).
NOT_INTEGER = "Nhập một số nguyên, ví dụ 250."
AT_LEAST_0 = "Nhập số 0 hoặc lớn hơn."
FUTURE = "Ngày không được ở tương lai."
WEB_URL = "Nhập đường liên kết hợp lệ, bắt đầu bằng http:// hoặc https://."
BAD_DATE = "Ngày sai định dạng. Hãy dùng một trong các định dạng sau: YYYY-MM-DD, DD/MM/YYYY."


def invalid_pk(pk) -> str:
    return f'Mã số "{pk}" không hợp lệ - đối tượng không tồn tại.'


def _village(rows, **changes):
    return {
        "commune": rows.village.commune_id,
        "name": "Thôn Mới",
        "kind": "thon",
        "households": 150,
        "residents": 600,
        "smartphone_users": 300,
        **changes,
    }


def _group(rows, **changes):
    return {
        "village": rows.village.pk,
        "platform": "zalo",
        "name": "Nhóm tin thôn mới",
        "invite_url": "https://zalo.me/g/moi123",
        **changes,
    }


# (case, model whose rows must not change, url, body, field, message)
CASES = [
    (
        "negative households",
        Village,
        "/api/v1/villages/",
        lambda a, b: _village(a, households=-5),
        "households",
        AT_LEAST_0,
    ),
    (
        "negative residents",
        Village,
        "/api/v1/villages/",
        lambda a, b: _village(a, residents=-1),
        "residents",
        AT_LEAST_0,
    ),
    (
        "households not a number",
        Village,
        "/api/v1/villages/",
        lambda a, b: _village(a, households="nhiều"),
        "households",
        NOT_INTEGER,
    ),
    (
        "unknown village kind",
        Village,
        "/api/v1/villages/",
        lambda a, b: _village(a, kind="xom"),
        "kind",
        '"xom" không phải là một lựa chọn hợp lệ.',
    ),
    (
        "village for another commune",
        Village,
        "/api/v1/villages/",
        lambda a, b: _village(a, commune=b.village.commune_id),
        "commune",
        invalid_pk("{b_commune}"),
    ),
    (
        "unknown platform",
        MessagingGroup,
        "/api/v1/groups/",
        lambda a, b: _group(a, platform="myspace"),
        "platform",
        '"myspace" không phải là một lựa chọn hợp lệ.',
    ),
    (
        "malformed invite link",
        MessagingGroup,
        "/api/v1/groups/",
        lambda a, b: _group(a, invite_url="zalo nhóm thôn 3"),
        "invite_url",
        WEB_URL,
    ),
    (
        "javascript: invite link",
        MessagingGroup,
        "/api/v1/groups/",
        lambda a, b: _group(a, invite_url="javascript:alert(1)"),
        "invite_url",
        WEB_URL,
    ),
    (
        "ftp invite link",
        MessagingGroup,
        "/api/v1/groups/",
        lambda a, b: _group(a, invite_url="ftp://zalo.me/g/x"),
        "invite_url",
        WEB_URL,
    ),
    (
        "active group without a link",
        MessagingGroup,
        "/api/v1/groups/",
        lambda a, b: _group(a, invite_url=""),
        "invite_url",
        "Nhóm đang hoạt động phải có đường liên kết mời.",
    ),
    (
        "group in a village of another commune",
        MessagingGroup,
        "/api/v1/groups/",
        lambda a, b: _group(a, village=b.village.pk),
        "village",
        invalid_pk("{b_village}"),
    ),
    (
        "group village not a number",
        MessagingGroup,
        "/api/v1/groups/",
        lambda a, b: _group(a, village="thôn 3"),
        "village",
        "Sai kiểu dữ liệu. Cần một mã số (id), nhận được str.",
    ),
    (
        "negative members",
        MemberCount,
        "/api/v1/groups/{a_group}/member-counts/",
        lambda a, b: {"date": "2021-08-08", "members": -3},
        "members",
        AT_LEAST_0,
    ),
    (
        "members not a number",
        MemberCount,
        "/api/v1/groups/{a_group}/member-counts/",
        lambda a, b: {"date": "2021-08-08", "members": "một trăm"},
        "members",
        NOT_INTEGER,
    ),
    (
        "member count without a date",
        MemberCount,
        "/api/v1/groups/{a_group}/member-counts/",
        lambda a, b: {"members": 100},
        "date",
        REQUIRED,
    ),
    (
        "member count in the future",
        MemberCount,
        "/api/v1/groups/{a_group}/member-counts/",
        lambda a, b: {"date": "2021-08-11", "members": 100},
        "date",
        FUTURE,
    ),
    (
        "member count with a malformed date",
        MemberCount,
        "/api/v1/groups/{a_group}/member-counts/",
        lambda a, b: {"date": "08.08.2021", "members": 100},
        "date",
        BAD_DATE,
    ),
    (
        "second member count for a date",
        MemberCount,
        "/api/v1/groups/{a_group}/member-counts/",
        lambda a, b: {"date": "2021-08-01", "members": 100},
        "date",
        "Nhóm này đã có số liệu của ngày này; hãy sửa số liệu đó thay vì nhập mới.",
    ),
    (
        "negative installs",
        BluzoneCount,
        "/api/v1/villages/{a_village}/bluzone-counts/",
        lambda a, b: {"date": "2021-08-08", "installs": -1},
        "installs",
        AT_LEAST_0,
    ),
    (
        "installs not a number",
        BluzoneCount,
        "/api/v1/villages/{a_village}/bluzone-counts/",
        lambda a, b: {"date": "2021-08-08", "installs": "12a"},
        "installs",
        NOT_INTEGER,
    ),
    (
        "bluzone count without a date",
        BluzoneCount,
        "/api/v1/villages/{a_village}/bluzone-counts/",
        lambda a, b: {"installs": 10},
        "date",
        REQUIRED,
    ),
    (
        "bluzone count in the future",
        BluzoneCount,
        "/api/v1/villages/{a_village}/bluzone-counts/",
        lambda a, b: {"date": "2021-08-11", "installs": 10},
        "date",
        FUTURE,
    ),
    (
        "second bluzone count for a date",
        BluzoneCount,
        "/api/v1/villages/{a_village}/bluzone-counts/",
        lambda a, b: {"date": "2021-08-01", "installs": 10},
        "date",
        "Thôn này đã có số liệu của ngày này.",
    ),
    (
        "officer for another commune",
        Officer,
        "/api/v1/officers/",
        lambda a, b: {"commune": b.village.commune_id, "full_name": "Lê C"},
        "commune",
        invalid_pk("{b_commune}"),
    ),
    (
        "officer with an unknown field",
        Officer,
        "/api/v1/officers/",
        lambda a, b: {"commune": a.village.commune_id, "full_name": "Lê C", "fields": ["the-thao"]},
        "fields",
        "Lĩnh vực không tồn tại: the-thao.",
    ),
]


@pytest.mark.django_db
@time_machine.travel(datetime.datetime(2021, 8, 10, 9, 0, tzinfo=datetime.UTC), tick=False)
@pytest.mark.parametrize(
    ("model", "url", "body", "field", "message"),
    [pytest.param(*case[1:], id=case[0]) for case in CASES],
)
def test_bad_input_is_400_with_the_field_in_vietnamese(
    api_as, officer_a, rows_a, rows_b, model, url, body, field, message
):
    names = {
        "a_group": rows_a.group.pk,
        "a_village": rows_a.village.pk,
        "b_commune": rows_b.village.commune_id,
        "b_village": rows_b.village.pk,
    }
    before = model.objects.count()

    response = api_as(officer_a).post(url.format(**names), body(rows_a, rows_b), format="json")

    assert response.status_code == 400, response.content
    assert response.json()[field] == [message.format(**names)]
    assert model.objects.count() == before


@pytest.mark.django_db
def test_a_bad_edit_changes_nothing(api_as, officer_a, rows_a):
    client = api_as(officer_a)
    response = client.patch(
        f"/api/v1/groups/{rows_a.group.pk}/",
        {"name": "Tên mới", "invite_url": "javascript:alert(1)"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"invite_url": [WEB_URL]}
    rows_a.group.refresh_from_db()
    assert rows_a.group.name != "Tên mới"

    response = client.patch(
        f"/api/v1/groups/{rows_a.group.pk}/member-counts/2021-08-01/",
        {"members": -1},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"members": [AT_LEAST_0]}
    rows_a.member_count.refresh_from_db()
    assert rows_a.member_count.members == 120


@pytest.mark.django_db
def test_duplicate_field_is_refused_naming_the_holder(api_as, officer_a, rows_a):
    holder = rows_a.officer.full_name
    assignments = FieldAssignment.objects.count()
    officers = Officer.objects.count()

    response = api_as(officer_a).post(
        "/api/v1/officers/",
        {"commune": rows_a.village.commune_id, "full_name": "Lê Văn C", "fields": ["y-te"]},
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {
        "fields": [f"Lĩnh vực “Y tế, phòng chống dịch bệnh” đã có cán bộ phụ trách: {holder}."]
    }
    assert (FieldAssignment.objects.count(), Officer.objects.count()) == (assignments, officers)


@pytest.mark.django_db
def test_editing_an_officer_onto_a_held_field_is_refused(api_as, leader_a, rows_a):
    other = leader_a.officer
    response = api_as(leader_a).patch(
        f"/api/v1/officers/{other.pk}/", {"fields": ["y-te", "hanh-chinh"]}, format="json"
    )
    assert response.status_code == 400
    assert rows_a.officer.full_name in response.json()["fields"][0]
    assert not FieldAssignment.objects.filter(officer=other).exists()


@pytest.mark.django_db
def test_english_when_the_user_picks_it(api_as, officer_a, rows_a):
    client = api_as(officer_a)
    client.cookies["django_language"] = "en"
    response = client.post(
        f"/api/v1/groups/{rows_a.group.pk}/member-counts/", {"members": "many"}, format="json"
    )
    assert response.json() == {
        "date": ["This field is required."],
        "members": ["Enter a whole number, for example 250."],
    }


@pytest.mark.django_db
def test_accept_language_is_ignored(api_as, officer_a, rows_a):
    response = api_as(officer_a).post(
        f"/api/v1/groups/{rows_a.group.pk}/member-counts/",
        {"members": 1},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.json() == {"date": [REQUIRED]}


@pytest.mark.django_db
def test_village_name_is_unique_within_its_commune(api_as, officer_a, rows_a):
    villages = Village.objects.count()
    response = api_as(officer_a).post(
        "/api/v1/villages/", _village(rows_a, name=rows_a.village.name), format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"name": ["Xã đã có thôn mang tên này."]}
    assert Village.objects.count() == villages


# Malformed requests (issue #8): 400 or 404 in DRF's shape, never a 500.

TOKEN_URL = "/api/v1/auth/token/"
NOT_AN_OBJECT = "Dữ liệu không hợp lệ. Cần một từ điển (đối tượng), nhận được {}."
TOO_DEEP = "Dữ liệu JSON lồng nhau quá sâu."


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "datatype"), [("[]", "list"), ('"abc"', "str"), ("42", "int"), ("true", "bool")]
)
def test_a_token_request_that_is_not_an_object_is_400(api_client, officer_a, body, datatype):
    response = api_client.post(TOKEN_URL, body, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": [NOT_AN_OBJECT.format(datatype)]}


@pytest.mark.django_db
def test_a_null_token_request_is_400(api_client, officer_a):
    response = api_client.post(TOKEN_URL, "null", content_type="application/json")
    assert response.status_code == 400
    assert list(response.json()) == ["non_field_errors"]


def deep_json(depth: int = 5000) -> str:
    return "[" * depth + "]" * depth


@pytest.mark.django_db
@pytest.mark.parametrize("body", [deep_json(), '{"a":' * 5000 + "1" + "}" * 5000])
def test_json_nested_too_deep_is_400_anonymously(api_client, body):
    response = api_client.post(TOKEN_URL, body, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"detail": TOO_DEEP}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("post", "/api/v1/villages/"),
        ("patch", "/api/v1/villages/{village}/"),
        ("post", "/api/v1/groups/"),
        ("post", "/api/v1/groups/{group}/member-counts/"),
        ("post", "/api/v1/officers/"),
    ],
)
def test_json_nested_too_deep_is_400_on_every_endpoint(api_as, officer_a, rows_a, method, url):
    url = url.format(village=rows_a.village.pk, group=rows_a.group.pk)
    response = getattr(api_as(officer_a), method)(url, deep_json(), content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"detail": TOO_DEEP}


@pytest.mark.django_db
def test_a_body_over_the_upload_limit_is_413_in_drf_shape(api_client, api_as, officer_a, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = '{"username": "xa-a", "password": "' + "x" * 2000 + '"}'

    for client, url in [(api_client, TOKEN_URL), (api_as(officer_a), "/api/v1/villages/")]:
        response = client.post(url, body, content_type="application/json")
        assert response.status_code == 413
        assert response["Content-Type"] == "application/json"
        assert response.json() == {"detail": "Yêu cầu quá lớn (tối đa 1000\xa0byte)."}


@pytest.mark.django_db
def test_too_many_form_fields_is_400_in_drf_shape(api_as, officer_a, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 5
    body = "&".join(f"f{n}=1" for n in range(10))
    response = api_as(officer_a).post(
        "/api/v1/villages/", body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 400
    assert response.json() == {"detail": "Yêu cầu sai định dạng."}


@pytest.mark.django_db
def test_a_notification_id_that_is_not_a_number_is_404(api_as, officer_a):
    response = api_as(officer_a).post("/api/v1/notifications/false/read/")
    assert response.status_code == 404
    assert response.json() == {"detail": "Không tìm thấy."}


def _api_routes() -> list[tuple[str, list[str]]]:
    """Every named route under /api/v1/ with the names of its path arguments."""
    from django.urls import URLPattern, URLResolver, get_resolver

    routes = []

    def walk(patterns, prefix_groups):
        for entry in patterns:
            groups = [*prefix_groups, *entry.pattern.regex.groupindex]
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, groups)
            elif isinstance(entry, URLPattern) and entry.name and groups:
                routes.append((entry.name, groups))

    walk(get_resolver().url_patterns, [])
    return routes


# Values a client may put where an id, a date or a code is expected.
MALFORMED = ["false", "-1", "1.5", "99999999999999999999", "１", "null", "2021-13-45"]
WELL_FORMED = ["1", "2021-08-01", "y-te"]


def _paths_with_one_malformed_argument():
    from django.urls import NoReverseMatch, reverse

    for name, groups in _api_routes():
        for bad_group in groups:
            for bad in MALFORMED:
                kwargs = {group: None for group in groups}
                kwargs[bad_group] = bad
                for group in groups:
                    if group == bad_group:
                        continue
                    for good in WELL_FORMED:
                        try:
                            reverse(name, kwargs={**kwargs, group: good})
                        except NoReverseMatch:
                            continue
                        kwargs[group] = good
                        break
                try:
                    path = reverse(name, kwargs=kwargs)
                except NoReverseMatch:
                    continue  # the route itself refuses the value: a 404 before any view
                if path.startswith("/api/"):
                    yield path


@pytest.mark.django_db
def test_no_api_route_answers_500_to_a_malformed_argument(api_as, officer_a, district_staff):
    paths = sorted(set(_paths_with_one_malformed_argument()))
    assert any("notifications" in path for path in paths)
    failures = []
    for user in (officer_a, district_staff):
        client = api_as(user)
        client.raise_request_exception = False
        for path in paths:
            for method in ("get", "post", "patch", "delete"):
                response = getattr(client, method)(path, {}, format="json")
                if response.status_code >= 500:
                    failures.append(f"{user.username} {method.upper()} {path}")
    assert failures == []
