"""`manage.py compile_report [--as-of YYYY-MM-DD] [--format pdf|xlsx]`: the district's report,
compiled at once in this process, kept in the archive like the others."""

import io

import pytest
from django.core.management import CommandError, call_command

from reports.models import ComplianceReport, ReportStatus
from tests.factories import DistrictFactory
from tests.reports.conftest import AS_OF, COMPILED_ON, pdf_text

pytestmark = pytest.mark.usefixtures("report_data", "compiling_day")


def compile_report(*args: str) -> str:
    out = io.StringIO()
    call_command("compile_report", *args, stdout=out)
    return out.getvalue()


def test_it_compiles_the_districts_pdf_as_of_a_day():
    out = compile_report("--as-of", "2021-08-09")
    report = ComplianceReport.objects.get()
    assert (report.status, report.format, report.as_of, report.commune) == (
        ReportStatus.DONE,
        "pdf",
        AS_OF,
        None,
    )
    assert (report.requested_by, report.issued_on) == (None, COMPILED_ON)
    assert out.startswith("Report 01/BC-VHTT (pdf, figures as of 09/08/2021, dated 10/08/2021): ")
    assert out.strip().endswith(report.file.path)
    assert "Đức Hạnh" in pdf_text(report.file)


def test_it_compiles_the_xlsx_as_of_today_by_default():
    compile_report("--format", "xlsx")
    report = ComplianceReport.objects.get()
    assert (report.format, report.as_of) == ("xlsx", COMPILED_ON)
    assert report.file.name.endswith(".xlsx")


def test_a_one_commune_report(commune_a):
    compile_report("--commune", commune_a.code, "--format", "xlsx")
    assert ComplianceReport.objects.get().commune == commune_a


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--as-of", "09/08/2021"], "--as-of: expected YYYY-MM-DD"),
        (["--as-of", "2021-08-11"], "Nhập ngày hợp lệ từ 01/01/2000 đến hôm nay"),
        (["--commune", "99999"], "--commune: no commune 99999"),
        (["--district", "999"], "--district: no district 999"),
    ],
)
def test_bad_arguments_stop_it_with_the_reason(args, message):
    with pytest.raises(CommandError, match=message):
        compile_report(*args)
    assert not ComplianceReport.objects.exists()


def test_with_several_districts_one_is_named():
    DistrictFactory(code="692", name="Bù Đăng")
    with pytest.raises(CommandError, match=r"Several districts \(691, 692\)"):
        compile_report()
    compile_report("--district", "691", "--format", "xlsx")
    assert ComplianceReport.objects.get().district.code == "691"


def test_a_pdf_beyond_the_bound_points_to_the_xlsx(monkeypatch):
    from reports import jobs

    monkeypatch.setattr(jobs, "PDF_MAX_COMMUNES", 2)
    with pytest.raises(CommandError, match="XLSX"):
        compile_report()
