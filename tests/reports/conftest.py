"""The cast's district with figures to report on, as of D = 09/08/2021, three days after the due
date of 606/UBND-VX (06/08/2021), compiled on 10/08/2021: three communes (A Phú Nghĩa, B Đa Kia,
C Đức Hạnh), their villages, groups, member and Bluzone counts, the deadline (A on time, C late,
B missing), an inspection of B whose follow-up is due on 10/08, and the district's letterhead."""

import datetime
import os
import shutil
import subprocess
import zoneinfo
from pathlib import Path

import pytest
import time_machine
from django.utils import translation

from deadlines.services import inspection_record
from reports import services
from reports.content import report_content
from reports.models import ComplianceReport, Letterhead
from tests.factories import (
    BluzoneCountFactory,
    CommuneFactory,
    DeadlineFactory,
    GroupFactory,
    MemberCountFactory,
    SubmissionFactory,
    VillageFactory,
)

ROOT = Path(__file__).resolve().parents[2]
LOCAL = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
AS_OF = datetime.date(2021, 8, 9)
COMPILED_ON = datetime.date(2021, 8, 10)
COMPILED_AT = datetime.datetime(2021, 8, 10, 15, 30, tzinfo=LOCAL)


@pytest.fixture
def compiling_day():
    """The clock on 10/08/2021 local time, moving (progress and heartbeats need time)."""
    with time_machine.travel(COMPILED_AT, tick=True):
        yield


@pytest.fixture
def commune_c(district):
    return CommuneFactory(district=district, code="25228", name="Đức Hạnh", slug="duc-hanh")


@pytest.fixture
def letterhead(district):
    return Letterhead.objects.create(
        district=district,
        parent_body="UBND huyện Bù Gia Mập",
        issuing_body="Phòng Văn hóa - Thông tin",
        short_code="VHTT",
        place_name="Bù Gia Mập",
        signer_title="Trưởng phòng",
        signer_name="Lê Văn Minh",
        recipients="UBND huyện (b/c);\nUBND các xã;",
    )


@pytest.fixture
def figures(district, commune_a, commune_b, commune_c, letterhead):
    """Villages, groups and counts of the three communes; households and installs differ, so
    each commune's figures are its own."""
    a1 = VillageFactory(
        commune=commune_a,
        name="Thôn Phú Tiến",
        households=320,
        residents=1280,
        smartphone_users=600,
    )
    a2 = VillageFactory(
        commune=commune_a,
        name="Thôn Bình Tân",
        households=410,
        residents=1650,
        smartphone_users=700,
    )
    b1 = VillageFactory(
        commune=commune_b,
        name="Bon Bù Dinh",
        kind="bon",
        households=200,
        residents=900,
        smartphone_users=300,
    )
    VillageFactory(
        commune=commune_b,
        name="Thôn Đa Bông Cua",
        households=21814,
        residents=80000,
        smartphone_users=40000,
    )
    c1 = VillageFactory(
        commune=commune_c,
        name="Thôn Hưng Phú",
        households=500,
        residents=2000,
        smartphone_users=1000,
    )
    for village, members, installs, trained in (
        (a1, 300, 320, True),
        (a2, 200, 250, False),
        (b1, 150, 60, True),
        (c1, 500, 520, True),
    ):
        group = GroupFactory(village=village, name=f"Zalo {village.name}", admin_trained=trained)
        MemberCountFactory(group=group, date=datetime.date(2021, 7, 20), members=members // 2)
        MemberCountFactory(group=group, date=datetime.date(2021, 8, 2), members=members)
        BluzoneCountFactory(village=village, date=datetime.date(2021, 8, 1), installs=installs)
    return {"a": commune_a, "b": commune_b, "c": commune_c}


@pytest.fixture
def deadline(district, commune_a, commune_b, commune_c):
    deadline = DeadlineFactory(district=district, communes=[commune_a, commune_b, commune_c])
    SubmissionFactory(
        deadline=deadline,
        commune=commune_a,
        submitted_at=datetime.datetime(2021, 8, 5, 9, 0, tzinfo=LOCAL),
    )
    # Five minutes after midnight local time on the day after: late.
    SubmissionFactory(
        deadline=deadline,
        commune=commune_c,
        submitted_at=datetime.datetime(2021, 8, 7, 0, 5, tzinfo=LOCAL),
    )
    return deadline


@pytest.fixture
def inspection(commune_b, figures, district_staff):
    return inspection_record(
        actor=district_staff,
        commune=commune_b,
        date=datetime.date(2021, 7, 30),
        inspector="Trần Thị Thu Hà",
        findings="Một thôn chưa có nhóm tin; quản trị viên chưa được tập huấn.",
        follow_up_due=datetime.date(2021, 8, 10),
    )


@pytest.fixture
def report_data(figures, deadline, inspection):
    return figures


@pytest.fixture
def written(district, letterhead, tmp_path):
    """`written(write, commune=None)` → the path of the report of the district (or of one
    commune) as of D, numbered 01/BC-VHTT and dated 10/08/2021, written in Vietnamese by
    `write` (reports.pdf.write_pdf or reports.xlsx.write_xlsx)."""

    def write(writer, *, commune=None, suffix="pdf"):
        report = ComplianceReport.objects.create(
            district=district,
            commune=commune,
            as_of=AS_OF,
            format=suffix,
            number="01/BC-VHTT",
            number_year=2021,
            number_seq=1,
            issued_on=COMPILED_ON,
        )
        report = ComplianceReport.objects.select_related("district", "commune").get(pk=report.pk)
        path = tmp_path / f"report-{report.pk}.{suffix}"
        with translation.override("vi"), path.open("wb") as out:
            writer(report_content(report=report, letterhead=letterhead), out)
        return path

    return write


def run(*command: str) -> str:
    """A poppler tool's output. Without poppler-utils the test is skipped on a developer's
    machine, but fails in CI (CI set), which installs it (.ci/run)."""
    if shutil.which(command[0]) is None:
        if os.environ.get("CI"):
            pytest.fail(f"{command[0]} is missing: .ci/run installs poppler-utils")
        pytest.skip(f"{command[0]} is not installed (Debian: poppler-utils)")
    done = subprocess.run(command, capture_output=True, text=True, check=True, timeout=120)
    return done.stdout


def pdf_text(file) -> str:
    """The text of a PDF (a path, or a stored report's file), laid out as on the page."""
    path = Path(getattr(file, "path", file))
    return run("pdftotext", "-layout", str(path), "-")


@pytest.fixture
def compile_report(django_capture_on_commit_callbacks, compiling_day):
    """`compile_report(user, **request)` → the report asked for, compiled by the eager worker
    once the request's transaction commits, read back from the database."""

    def ask(user, **request):
        request.setdefault("as_of", AS_OF)
        with django_capture_on_commit_callbacks(execute=True):
            report = services.report_request(user=user, **request)
        report.refresh_from_db()
        return report

    return ask
