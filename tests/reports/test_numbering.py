"""Report numbers: a yearly sequence per district held by the database (docs/rules.md, fine print:
`Số: 07/BC-VHTT`); the report is dated the day it is compiled, its figures are as of `as_of`."""

import datetime

import pytest
import time_machine
from django.db import IntegrityError, transaction

from reports.models import ComplianceReport, ReportSequence
from reports.numbering import next_report_number, report_number
from tests.factories import DistrictFactory
from tests.reports.conftest import AS_OF, COMPILED_ON, LOCAL, pdf_text


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


def test_reports_take_the_next_numbers_and_are_dated_the_day_they_are_compiled(
    report_data, compile_report, district_staff, district_leader, officer_a
):
    first = compile_report(district_staff)
    second = compile_report(district_leader, fmt="xlsx")
    third = compile_report(officer_a)
    assert [first.number, second.number, third.number] == ["01/BC-VHTT", "02/BC-VHTT", "03/BC-VHTT"]
    assert {first.issued_on, second.issued_on, third.issued_on} == {COMPILED_ON}
    assert {first.as_of, second.as_of, third.as_of} == {AS_OF}


def test_a_new_year_starts_again_at_01(report_data, compile_report, district_staff):
    compile_report(district_staff)
    with time_machine.travel(datetime.datetime(2022, 1, 3, 8, 0, tzinfo=LOCAL), tick=True):
        report = compile_report(district_staff, as_of=datetime.date(2022, 1, 3))
    assert (report.number, report.number_year, report.issued_on) == (
        "01/BC-VHTT",
        2022,
        datetime.date(2022, 1, 3),
    )


def test_the_short_code_of_the_letterhead_is_in_the_number(
    report_data, letterhead, compile_report, district_staff
):
    letterhead.short_code = "VH-TT"
    letterhead.save()
    assert compile_report(district_staff).number == "01/BC-VH-TT"


def test_the_database_refuses_two_reports_with_one_number(report_data, district):
    ComplianceReport.objects.create(district=district, as_of=AS_OF, number_year=2021, number_seq=4)
    with pytest.raises(IntegrityError), transaction.atomic():
        ComplianceReport.objects.create(
            district=district, as_of=AS_OF, number_year=2021, number_seq=4
        )


def test_the_compiled_pdf_carries_its_number_and_date(report_data, compile_report, district_staff):
    compile_report(district_staff, fmt="xlsx")
    text = " ".join(pdf_text(compile_report(district_staff).file).split())
    assert "Số: 02/BC-VHTT" in text
    assert "Bù Gia Mập, ngày 10 tháng 08 năm 2021" in text
    assert "(số liệu tính đến ngày 09/08/2021)" in text
