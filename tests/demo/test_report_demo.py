"""The demo's letterhead (docs/rules.md: Bù Gia Mập's, the signer TRƯỞNG PHÒNG with an illustrative
name), written once by seed_demo, and the demo's report."""

import io

import pytest
from django.core.management import call_command

from reports.models import ComplianceReport, Letterhead
from tests.reports.conftest import pdf_text


@pytest.fixture
def demo(db):
    call_command("seed_demo", verbosity=0)


def test_seed_demo_writes_the_districts_letterhead_once(demo):
    letterhead = Letterhead.objects.get(district__code="691")
    assert (letterhead.parent_body, letterhead.issuing_body, letterhead.short_code) == (
        "UBND huyện Bù Gia Mập",
        "Phòng Văn hóa - Thông tin",
        "VHTT",
    )
    assert letterhead.signer_title.upper() == "TRƯỞNG PHÒNG"
    assert letterhead.recipient_lines[-1] == "Lưu: VT, VHTT."
    letterhead.signer_name = "Người khác"
    letterhead.save()
    call_command("seed_demo", verbosity=0)
    assert Letterhead.objects.get().signer_name == "Người khác"


def test_the_demo_report_names_every_commune(demo):
    call_command("compile_report", "--as-of", "2021-08-06", stdout=io.StringIO())
    text = pdf_text(ComplianceReport.objects.get().file)
    for name in ("Bù Gia Mập", "Đak Ơ", "Đức Hạnh", "Phú Văn", "Đa Kia", "Phước Minh",
                 "Bình Thắng", "Phú Nghĩa"):  # fmt: skip
        assert name in text
