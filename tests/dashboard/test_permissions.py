"""Who may open what in the dashboard area: (role, url, expected status)."""

import pytest

LOGIN = "/accounts/login/"
COMMUNE_A = "/communes/25267/"  # Phú Nghĩa, commune A of the cast


@pytest.mark.parametrize(
    ("role", "url", "expected", "location"),
    [
        (None, "/dashboard/", 302, LOGIN),
        ("officer_a", "/dashboard/", 302, COMMUNE_A),
        ("leader_a", "/dashboard/", 302, COMMUNE_A),
        ("officer_b", "/dashboard/", 302, "/communes/25231/"),
        ("district_staff", "/dashboard/", 200, None),
        ("district_leader", "/dashboard/", 200, None),
        (None, COMMUNE_A, 302, LOGIN),
        ("officer_a", COMMUNE_A, 200, None),
        ("leader_a", COMMUNE_A, 200, None),
        ("officer_b", COMMUNE_A, 404, None),
        ("district_staff", COMMUNE_A, 200, None),
        ("district_leader", COMMUNE_A, 200, None),
        (None, "/dashboard/export.csv", 302, LOGIN),
        ("officer_a", "/dashboard/export.csv", 200, None),
        ("officer_b", "/dashboard/export.xlsx", 200, None),
        ("district_staff", "/dashboard/export.xlsx", 200, None),
        ("district_leader", "/dashboard/export.csv", 200, None),
        (None, "/api/v1/dashboard/", 401, None),
        ("officer_a", "/api/v1/dashboard/", 200, None),
        ("leader_a", "/api/v1/dashboard/", 200, None),
        ("officer_b", "/api/v1/dashboard/", 200, None),
        ("district_staff", "/api/v1/dashboard/", 200, None),
        ("district_leader", "/api/v1/dashboard/", 200, None),
    ],
)
def test_role_table(request, client, commune_a, commune_b, role, url, expected, location):
    if role is not None:
        client.force_login(request.getfixturevalue(role))
    response = client.get(url)
    assert response.status_code == expected
    if location is not None:
        assert response["Location"].startswith(location)


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_pages_are_read_only(client, district_staff, method):
    client.force_login(district_staff)
    # the pages answer GET only; anything else is not allowed, never half-handled
    response = getattr(client, method)("/dashboard/")
    assert response.status_code == 405
