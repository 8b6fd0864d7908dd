"""Report numbers: a yearly sequence per district held by the database (DESIGN.md, fine print:
`Số: 07/BC-VHTT`); the report is dated the day it is compiled, its figures are as of `as_of`."""

import pytest
from django.db import IntegrityError, transaction

from reports.compliance.numbering import next_report_number, report_number
from reports.models import ComplianceReport, ReportSequence
from tests.compliance.conftest import AS_OF
from tests.factories import DistrictFactory


def test_the_number_has_two_digits_the_kind_and_the_issuing_body():
    assert report_number(7, kind="compliance", short_code="VHTT") == "07/BC-VHTT"
    assert report_number(123, kind="compliance", short_code="VH-TT") == "123/BC-VH-TT"


def test_each_district_and_year_counts_on_its_own(district):
    other = DistrictFactory(code="692", name="Bù Đăng")
    assert [next_report_number(district_id=district.pk, year=2021) for _ in range(3)] == [1, 2, 3]
    assert next_report_number(district_id=other.pk, year=2021) == 1
    assert next_report_number(district_id=district.pk, year=2022) == 1
    assert set(ReportSequence.objects.values_list("district__code", "year", "last")) == {
        ("691", 2021, 3),
        ("692", 2021, 1),
        ("691", 2022, 1),
    }


def test_the_database_refuses_two_reports_with_one_number(report_data, district):
    ComplianceReport.objects.create(district=district, as_of=AS_OF, number_year=2021, number_seq=4)
    with pytest.raises(IntegrityError), transaction.atomic():
        ComplianceReport.objects.create(
            district=district, as_of=AS_OF, number_year=2021, number_seq=4
        )
