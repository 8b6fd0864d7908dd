"""The compliance part of `make bench`, proven small on the tiny dataset: what it adds for the
measure (a deadline over every commune, submissions, inspections, two pending reports) compiles,
and is all removed afterwards. The measure itself runs only through `make bench`."""

import pytest

from bench import compliance
from bench.dataset import SCALES, build
from deadlines.models import Deadline, Inspection, Submission
from reports import jobs
from reports.models import ComplianceReport, ReportStatus

pytestmark = pytest.mark.django_db


def test_the_measure_compiles_both_formats_and_leaves_nothing_behind():
    built = build(SCALES["tiny"])
    xlsx_id, pdf_id = compliance.prepare(built.district)
    deadline = Deadline.objects.get(directive=compliance.DIRECTIVE)
    assert deadline.communes.count() == 3
    assert Submission.objects.filter(deadline=deadline).count() == 3
    for report_id in (xlsx_id, pdf_id):
        assert jobs.report_compile(report_id=report_id)
        assert ComplianceReport.objects.get(pk=report_id).status == ReportStatus.DONE
    compliance.cleanup(built.district)
    assert not ComplianceReport.objects.filter(district=built.district).exists()
    assert not Deadline.objects.filter(directive=compliance.DIRECTIVE).exists()
    assert not Inspection.objects.filter(inspector="Bench").exists()


def test_a_bound_broken_is_said():
    compiled = compliance.Compiled("pdf", 75.0, 120.0, 99.0, 80.0, "done", "")
    assert not compliance._print(compiled, bound_seconds=compliance.PDF_BOUND_SECONDS)
    assert compliance._print(compiled, bound_seconds=None)
