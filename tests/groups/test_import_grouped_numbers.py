"""The import pages write counts as Vietnamese does (5.000 dòng, 1.001 thôn mới) and row
numbers as a spreadsheet labels its rows (1002, an address, never grouped)."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import translation

from communes.models import Village
from groups.imports import ImportRejected, reading, villages_import
from tests.groups.import_files import VILLAGE_HEADER, csv_upload
from tests.ids import grouped_identifiers

pytestmark = pytest.mark.django_db

ROWS = [[f"Thôn {n}", "thôn", 10, 40, 20] for n in range(1, 1002)]


def test_the_row_limit_is_written_with_its_thousands(commune_a):
    rows = [[f"Thôn {n}", "thôn", 1, 1, 1] for n in range(reading.MAX_ROWS + 1)]
    with pytest.raises(ImportRejected) as info:
        villages_import(commune=commune_a, upload=csv_upload([VILLAGE_HEADER, *rows]))
    (error,) = info.value.errors
    assert error.message == "Tệp có hơn 5.000 dòng dữ liệu; hãy chia thành nhiều tệp."
    with translation.override("en"), pytest.raises(ImportRejected) as info:
        villages_import(commune=commune_a, upload=csv_upload([VILLAGE_HEADER, *rows]))
    assert info.value.errors[0].message == (
        "The file has more than 5,000 data rows; split it into several files."
    )


def test_a_thousand_rows_then_the_counts_of_the_import(client, officer_a, commune_a):
    client.force_login(officer_a)
    url = reverse("import-villages", kwargs={"code": commune_a.code})
    assert "Tối đa 5 MB và 5.000 dòng." in client.get(url).content.decode()

    # 1,001 rows under the header; the last one, row 1002 of the file, is wrong.
    bad = [*ROWS[:-1], ["Thôn 1001", "thôn", -3, 40, 20]]
    page = client.post(url, {"file": csv_upload([VILLAGE_HEADER, *bad])}).content.decode()
    assert "<td>1002</td>\n            <td>households</td>" in page
    assert grouped_identifiers(page) == []
    assert not Village.objects.exists()

    response = client.post(url, {"file": csv_upload([VILLAGE_HEADER, *ROWS])})
    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Đã nhập thôn: 1.001 thôn mới, 0 thôn được cập nhật, 0 thôn không đổi."
    ]
    assert Village.objects.filter(commune=commune_a).count() == 1001
