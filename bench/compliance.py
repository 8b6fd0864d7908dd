"""The compliance report at each scale: the time and peak memory of compiling its XLSX and its
PDF, each in a fresh process (`python -m bench.compliance compile ID`), as a worker would.

Peak memory is the process's peak resident set (VmHWM), Django, WeasyPrint and the database
driver included; the baseline (the process ready to compile, nothing read yet) is printed
beside it. The bounds of the issue: the XLSX under 300 MB at every scale; the PDF under
300 MB and 60 s where it is compiled, and refused beyond reports.pdf.PDF_MAX_COMMUNES
communes with a message pointing to the XLSX.

The datasets hold no deadlines: for the measure, one is added that covers every commune of the
scale (nine in ten reported, two in ten of those late) with an inspection of one commune in
fifty, and everything added is removed afterwards, so the dashboard's own measures are
unchanged.
"""

from __future__ import annotations

import datetime
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BOUND_MIB = 300
PDF_BOUND_SECONDS = 60
DIRECTIVE = "BENCH-606"


@dataclass(frozen=True)
class Compiled:
    fmt: str
    seconds: float
    peak_mib: float
    baseline_mib: float
    size_kib: float
    status: str
    error: str


def _memory_mib(field: str) -> float:
    """VmHWM (the peak resident set) or VmRSS (now) of this process, in MiB. Not ru_maxrss:
    Linux carries over into it the peak of the process that forked this one (here the bench,
    with a national dashboard in memory)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(f"{field}:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def prepare(district) -> list[int]:
    """The deadline, submissions and inspections of the measure; returns the ids of the two
    reports to compile (XLSX, PDF), pending."""
    import zoneinfo

    from bench.dataset import AS_OF
    from communes.models import Commune
    from deadlines.models import Deadline, Inspection, Submission
    from reports.models import ComplianceReport

    cleanup(district)
    local = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
    due = AS_OF - datetime.timedelta(days=2)
    deadline = Deadline.objects.create(
        district=district, title="Báo cáo kết quả (đo hiệu năng)", directive=DIRECTIVE, due_date=due
    )
    ids = list(
        Commune.objects.filter(district=district).order_by("pk").values_list("pk", flat=True)
    )
    deadline.communes.through.objects.bulk_create(
        [deadline.communes.through(deadline_id=deadline.pk, commune_id=pk) for pk in ids],
        batch_size=5000,
    )
    submissions = []
    for index, pk in enumerate(ids):
        if index % 10 == 9:
            continue  # not reported
        late = index % 10 in (3, 7)
        day = due + datetime.timedelta(days=1 if late else -1)
        submissions.append(
            Submission(
                deadline=deadline,
                commune_id=pk,
                submitted_at=datetime.datetime.combine(day, datetime.time(9), tzinfo=local),
            )
        )
    Submission.objects.bulk_create(submissions, batch_size=5000)
    Inspection.objects.bulk_create(
        [
            Inspection(
                commune_id=pk,
                date=AS_OF - datetime.timedelta(days=5),
                inspector="Bench",
                findings="Đo hiệu năng.",
            )
            for pk in ids[::50]
        ]
    )
    return [
        ComplianceReport.objects.create(district=district, as_of=AS_OF, format=fmt).pk
        for fmt in ("xlsx", "pdf")
    ]


def cleanup(district) -> None:
    from deadlines.models import Deadline, Inspection
    from reports.models import ComplianceReport, ReportSequence

    for report in ComplianceReport.objects.filter(district=district):
        if report.file:
            report.file.delete(save=False)
    ComplianceReport.objects.filter(district=district).delete()
    ReportSequence.objects.filter(district=district).delete()
    Deadline.objects.filter(district=district, directive=DIRECTIVE).delete()
    Inspection.objects.filter(commune__district=district, inspector="Bench").delete()


def compile_in_a_fresh_process(report_id: int, media: Path) -> Compiled:
    done = subprocess.run(
        [sys.executable, "-m", "bench.compliance", "compile", str(report_id)],
        cwd=ROOT,
        env={**os.environ, "MEDIA_ROOT": str(media)},
        capture_output=True,
        text=True,
        timeout=1800,
    )
    if done.returncode != 0:
        raise SystemExit(f"bench: compiling report {report_id} failed:\n{done.stderr[-3000:]}")
    return Compiled(**json.loads(done.stdout.strip().splitlines()[-1]))


def run_scale(name: str, district) -> bool:
    """Print the XLSX's and the PDF's time and peak memory at this scale; False when a bound
    is broken."""
    from communes.models import Commune
    from reports.jobs import pdf_refusal
    from reports.pdf import PDF_MAX_COMMUNES

    communes = Commune.objects.filter(district=district).count()
    xlsx_id, pdf_id = prepare(district)
    ok = True
    try:
        with tempfile.TemporaryDirectory(prefix="bench-media-") as media:
            print(f"{'compliance report':30} {'seconds':>10} {'peak MiB':>9} {'base MiB':>9} "
                  f"{'file KiB':>9}")  # fmt: skip
            xlsx = compile_in_a_fresh_process(xlsx_id, Path(media))
            ok = _print(xlsx, bound_seconds=None) and ok
            refusal = pdf_refusal(district_id=district.pk, commune_id=None, fmt="pdf")
            if refusal:
                print(f"{'PDF':30} refused at {communes:,} communes (> {PDF_MAX_COMMUNES}): "
                      f"{refusal}")  # fmt: skip
            else:
                ok = _print(compile_in_a_fresh_process(pdf_id, Path(media)),
                            bound_seconds=PDF_BOUND_SECONDS) and ok  # fmt: skip
    finally:
        cleanup(district)
    print(f"compliance report at {name}: {'within bounds' if ok else 'BOUNDS BROKEN'}")
    return ok


def _print(compiled: Compiled, *, bound_seconds: float | None) -> bool:
    label = f"{compiled.fmt.upper()} ({compiled.status})"
    print(f"{label:30} {compiled.seconds:10.1f} {compiled.peak_mib:9.0f} "
          f"{compiled.baseline_mib:9.0f} {compiled.size_kib:9.0f}")  # fmt: skip
    if compiled.status != "done":
        print(f"  failed: {compiled.error}")
        return False
    within = compiled.peak_mib < BOUND_MIB
    if bound_seconds is not None:
        within = within and compiled.seconds < bound_seconds
    if not within:
        print(
            f"  over the bound: {BOUND_MIB} MB" + (f", {bound_seconds} s" if bound_seconds else "")
        )
    return within


def compile_one(report_id: int) -> dict:
    """In the fresh process: compile the report as the worker does and say what it cost."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    django.setup()
    from django.db import connection

    from bmp_comms.scoping import unscoped
    from reports import jobs
    from reports.models import ComplianceReport

    connection.ensure_connection()
    baseline = _memory_mib("VmRSS")
    started = time.perf_counter()
    # As the worker does: its Celery task runs unscoped (bmp_comms.celery).
    with unscoped():
        jobs.report_compile(report_id=report_id)
        seconds = time.perf_counter() - started
        report = ComplianceReport.objects.get(pk=report_id)
    return {
        "fmt": report.format,
        "seconds": seconds,
        "peak_mib": _memory_mib("VmHWM"),
        "baseline_mib": baseline,
        "size_kib": report.file.size / 1024 if report.file else 0.0,
        "status": report.status,
        "error": report.error,
    }


if __name__ == "__main__":
    if sys.argv[1:2] != ["compile"]:
        sys.exit("usage: python -m bench.compliance compile REPORT_ID")
    print(json.dumps(compile_one(int(sys.argv[2]))))
