"""Who may do what with compliance reports (docs/rules.md, Roles), on the pages and the API: one
table of (role, method, endpoint) → status. District staff and leaders see and compile every
report of their district; a commune's users their own commune's one-commune reports only (any
other is a 404); only district staff edit the letterhead; nothing is ever deleted."""

import pytest
from django.test import Client
from rest_framework.test import APIClient

from reports.models import ComplianceReport, ReportStatus
from tests.reports.conftest import AS_OF

ROLES = ["officer_a", "leader_a", "officer_b", "district_staff", "district_leader", "anonymous"]


def by_role(officer_a, leader_a, officer_b, district_staff, district_leader, anonymous):
    return dict(zip(ROLES, [officer_a, leader_a, officer_b, district_staff, district_leader,
                            anonymous], strict=True))  # fmt: skip


LETTERHEAD = {
    "parent_body": "UBND huyện Bù Gia Mập",
    "issuing_body": "Phòng Văn hóa - Thông tin",
    "short_code": "VHTT",
    "place_name": "Bù Gia Mập",
    "signer_title": "Trưởng phòng",
    "signer_name": "Lê Văn Minh",
    "recipients": "UBND các xã;",
}

# (label, method, url from the reports, body, expected status by role)
API = [
    ("list", "get", lambda r: "/api/v1/reports/", None, by_role(200, 200, 200, 200, 200, 401)),
    ("A's report", "get", lambda r: f"/api/v1/reports/{r['a'].pk}/", None,
     by_role(200, 200, 404, 200, 200, 401)),
    ("district report", "get", lambda r: f"/api/v1/reports/{r['district'].pk}/", None,
     by_role(404, 404, 404, 200, 200, 401)),
    ("A's download", "get", lambda r: f"/api/v1/reports/{r['a'].pk}/download/", None,
     by_role(200, 200, 404, 200, 200, 401)),
    ("district download", "get", lambda r: f"/api/v1/reports/{r['district'].pk}/download/", None,
     by_role(404, 404, 404, 200, 200, 401)),
    ("compile", "post", lambda r: "/api/v1/reports/", lambda r: {"format": "xlsx"},
     by_role(202, 202, 202, 202, 202, 401)),
    ("compile for A", "post", lambda r: "/api/v1/reports/",
     lambda r: {"format": "xlsx", "commune": r["a"].commune_id},
     by_role(202, 202, 400, 202, 202, 401)),
    ("compile again", "post", lambda r: f"/api/v1/reports/{r['failed'].pk}/compile-again/", None,
     by_role(404, 404, 404, 202, 202, 401)),
    ("delete", "delete", lambda r: f"/api/v1/reports/{r['a'].pk}/", None,
     by_role(405, 405, 405, 405, 405, 401)),
    ("edit", "patch", lambda r: f"/api/v1/reports/{r['a'].pk}/", lambda r: {"as_of": "2021-08-01"},
     by_role(405, 405, 405, 405, 405, 401)),
]  # fmt: skip

WEB = [
    ("archive", "get", lambda r: "/reports/", None, by_role(200, 200, 200, 200, 200, 302)),
    ("compile", "post", lambda r: "/reports/", lambda r: {}, by_role(302, 302, 302, 302, 302, 302)),
    ("A's progress", "get", lambda r: f"/reports/{r['a'].pk}/progress/", None,
     by_role(200, 200, 404, 200, 200, 302)),
    ("district progress", "get", lambda r: f"/reports/{r['district'].pk}/progress/", None,
     by_role(404, 404, 404, 200, 200, 302)),
    ("A's download", "get", lambda r: f"/reports/{r['a'].pk}/download/", None,
     by_role(200, 200, 404, 200, 200, 302)),
    ("district download", "get", lambda r: f"/reports/{r['district'].pk}/download/", None,
     by_role(404, 404, 404, 200, 200, 302)),
    ("compile again", "post", lambda r: f"/reports/{r['failed'].pk}/compile-again/", lambda r: {},
     by_role(404, 404, 404, 302, 302, 302)),
    ("letterhead", "get", lambda r: "/reports/letterhead/", None,
     by_role(403, 403, 403, 200, 403, 302)),
    ("save the letterhead", "post", lambda r: "/reports/letterhead/", lambda r: LETTERHEAD,
     by_role(403, 403, 403, 302, 403, 302)),
]  # fmt: skip


@pytest.fixture
def reports(report_data, compile_report, district, commune_a, officer_a, district_staff):
    return {
        "a": compile_report(officer_a, fmt="xlsx"),
        "district": compile_report(district_staff, fmt="xlsx"),
        "failed": ComplianceReport.objects.create(
            district=district, as_of=AS_OF, status=ReportStatus.FAILED, error="Lỗi."
        ),
    }


def _call(client, method, url, body, **extra):
    if method == "get":
        return client.get(url)
    return getattr(client, method)(url, body or {}, **extra)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("label", "method", "url", "body", "expected"), API,
                         ids=[row[0] for row in API])  # fmt: skip
def test_api(request, reports, role, label, method, url, body, expected,
             django_capture_on_commit_callbacks):  # fmt: skip
    client = APIClient()
    if role != "anonymous":
        client.force_authenticate(request.getfixturevalue(role))
    with django_capture_on_commit_callbacks(execute=True):
        response = _call(client, method, url(reports), body and body(reports), format="json")
    assert response.status_code == expected[role], response.content[:300]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("label", "method", "url", "body", "expected"), WEB,
                         ids=[row[0] for row in WEB])  # fmt: skip
def test_pages(request, reports, role, label, method, url, body, expected,
               django_capture_on_commit_callbacks):  # fmt: skip
    client = Client()
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    with django_capture_on_commit_callbacks(execute=True):
        response = _call(client, method, url(reports), body and body(reports))
    assert response.status_code == expected[role]
    if role == "anonymous":
        assert response["Location"].startswith("/accounts/login/")


def test_a_login_without_a_role_has_no_reports(reports, django_user_model):
    admin = django_user_model.objects.create_superuser("root", password="x-Secret-2021")
    client = APIClient()
    client.force_authenticate(admin)
    assert client.get("/api/v1/reports/").status_code == 403
    web = Client()
    web.force_login(admin)
    assert web.get("/reports/").status_code == 403


def test_another_district_sees_none_of_these_reports(reports):
    from communes.models import Role
    from tests.factories import DistrictFactory, make_user

    other = make_user(Role.DISTRICT_STAFF, district=DistrictFactory(code="692", name="Bù Đăng"))
    client = APIClient()
    client.force_authenticate(other)
    assert client.get("/api/v1/reports/").json()["count"] == 0
    assert client.get(f"/api/v1/reports/{reports['district'].pk}/").status_code == 404
