import pytest


@pytest.mark.django_db
def test_other_communes_page_is_a_vietnamese_404(client, officer_a, commune_b):
    client.force_login(officer_a)
    response = client.get(f"/communes/{commune_b.code}/")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()


@pytest.mark.django_db
def test_refused_write_is_a_vietnamese_403(client, district_leader, commune_a):
    client.force_login(district_leader)
    response = client.get(f"/communes/{commune_a.code}/villages/new/")
    assert response.status_code == 403
    assert "Bạn không có quyền thực hiện thao tác này" in response.content.decode()
