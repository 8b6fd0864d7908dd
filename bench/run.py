"""`python -m bench.run --scale province|national|all`: build (or reuse) each scale's dataset on
PostgreSQL, add a district's deadlines and bulletins to it (bench.activity), then time the
dashboard selector, the series, the dashboard API and the whole page (logged in) beside the
floor, hand-written SQL computing what the page shows (the table and the deadlines), and the
series floor, the chart's twelve points in one statement; check that they all agree, and print
the page's bytes, raw and gzip-compressed, and its first load. Then compile the compliance
report's XLSX and PDF at that scale (bench.compliance; `--no-reports` skips it), import 5,000
member counts (bench.imports) and publish a bulletin to 500 groups (bench.publish).

The database is DATABASE_URL (default postgres://postgres@127.0.0.1:5432/bmp_bench); it is
created when missing and migrated. Exit status 1 when any figure disagrees.
"""

from __future__ import annotations

import argparse
import gc
import os
import signal
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/bmp_bench"


@dataclass(frozen=True)
class Measure:
    label: str
    median_ms: float
    queries: int
    peak_kib: float


def ensure_database(url: str) -> None:
    import psycopg2
    from psycopg2 import sql

    parts = urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql", "pgsql"):
        sys.exit("bench: DATABASE_URL must be a PostgreSQL database")
    name = parts.path.lstrip("/")
    maintenance = parts._replace(path="/postgres").geturl()
    conn = psycopg2.connect(maintenance)
    conn.autocommit = True
    try:
        with conn.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone() is None:
                cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
                print(f"created database {name}")
    finally:
        conn.close()


def measure(label: str, call: Callable[[], object], runs: int) -> tuple[Measure, object]:
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    result = call()  # warm the caches, as a page viewed twice would
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    # A request empties the query log when it starts: count from an empty log, and count
    # before the next call empties it again.
    reset_queries()
    with CaptureQueriesContext(connection) as captured:
        call()
    queries = len(captured)
    tracemalloc.start()
    try:
        call()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return Measure(label, statistics.median(times) * 1000, queries, peak / 1024), result


def run_scale(
    name: str, *, runs: int, rebuild: bool, reports: bool = True, page_runs: int | None = None
) -> bool:
    from bench import activity
    from bench.dataset import AS_OF, SCALES, build

    scale = SCALES[name]
    print(f"== {name}", flush=True)
    built = build(scale, force=rebuild, log=lambda line: print(line, flush=True))
    counts = ", ".join(f"{value:,} {key.replace('_', ' ')}" for key, value in built.counts.items())
    how = "reused" if built.reused else "built"
    print(f"{counts} ({how} in {built.seconds:.1f} s); figures as of {AS_OF:%d/%m/%Y}")
    try:
        activity.add(built.district, built.user)
        agree = measure_dashboard(name, built, runs=runs, page_runs=page_runs or runs)
    finally:
        activity.remove(built.district)
    within = True
    if reports:
        from bench import compliance

        within = compliance.run_scale(name, built.district)
    # The import of 5,000 member counts (bench.imports), rolled back afterwards.
    from bench import imports

    imported = imports.run_scale(name, built.district, built.user)
    # Publishing one bulletin to 500 groups (bench.publish), in a commune added and removed
    # for it.
    from bench import publish

    published = publish.run_scale(name, built.district)
    return agree and within and imported and published


def prepare_page(built, *, today: bool = False) -> None:
    """Called once per scale, after the floor, selector and API measures and before the whole
    page is timed: the communes' daily snapshots of the series' past points and of D (the
    bench's today) are filled, as the nightly job and the writes keep them
    (dashboard.snapshots); timed and printed. With `today`, those of the machine's today's
    series too: the pages of the load run that name no date read them (in production the
    first view of a day hands the missing ones to the worker, which the load run has not)."""
    import time

    from django.utils import timezone

    from bench.dataset import AS_OF
    from communes.models import Commune
    from dashboard.models import DailyCommuneSnapshot
    from dashboard.series import weekly_dates
    from dashboard.snapshots import snapshots_fill

    started = time.perf_counter()
    dates = weekly_dates(AS_OF)
    if today:
        dates = sorted({*dates, *weekly_dates(timezone.localdate())})
    written = snapshots_fill(
        dates=dates,
        commune_ids=Commune.objects.filter(district=built.district).values_list("pk", flat=True),
    )
    # The statistics, as the worker's fill refreshes them (dashboard.tasks.fill_snapshots), or
    # autovacuum for the rows an earlier run wrote.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {DailyCommuneSnapshot._meta.db_table}")
    which = "the series' 11 past points and of D" + (", and of today's series" if today else "")
    print(
        f"snapshots of {which}: {written:,} written in "
        f"{time.perf_counter() - started:.1f} s (the nightly job's work, not timed in the page)"
    )


def measure_dashboard(name: str, built, *, runs: int, page_runs: int) -> bool:
    """Time the floor and the series floor, the selector, the series, the API and the whole
    page; print them, the page's weight and the ratios; False when any figure disagrees."""
    from django.urls import NoReverseMatch, reverse
    from rest_framework.test import APIClient

    from bench import compare, page
    from bench.dataset import AS_OF
    from bench.floor import floor
    from bench.series_floor import series_floor
    from communes.models import Commune
    from dashboard import selectors
    from dashboard.series import coverage_series, weekly_dates

    user, district_id = built.user, built.district.pk
    dates = weekly_dates(AS_OF)

    floor_m, floors = measure(
        "floor (table, deadlines)", lambda: floor(district_id=district_id, as_of=AS_OF), runs
    )
    series_floor_m, series_sums = measure(
        "series floor (one statement)",
        lambda: series_floor(district_id=district_id, dates=dates),
        runs,
    )
    label, call = "dashboard_rows", lambda: selectors.dashboard_rows(user=user, as_of=AS_OF)
    selector_m, board = measure(f"selector {label}", call, runs)
    series_m, series = measure(
        "series coverage_series",
        lambda: coverage_series(communes=Commune.objects.for_user(user), end=AS_OF),
        page_runs,
    )
    results = [floor_m, series_floor_m, selector_m, series_m]
    problems = compare.board_differences(floors, board)
    problems += compare.series_differences(series_sums, dates, series)

    try:
        url = reverse("api-dashboard")
    except NoReverseMatch:
        url = None
    if url:
        client = APIClient()
        client.force_authenticate(user)

        def get():
            response = client.get(url, {"date": AS_OF.isoformat()}, HTTP_HOST="localhost")
            if response.status_code != 200:
                raise SystemExit(f"bench: {url} answered {response.status_code}")
            return response.json()

        api_m, payload = measure(f"API {url}", get, runs)
        results.append(api_m)
        problems += compare.api_board_differences(floors, payload)
    else:
        print("(no api-dashboard URL: the API is not measured)")

    prepare_page(built)
    browser = page.logged_in(user)
    # A served worker's garbage collector walks what the worker loaded once, frozen out of
    # its way (bmp_comms.wsgi), and the page's own objects; this process holds far more (every
    # measure above and its result): frozen too, so that the page is timed as served.
    gc.collect()
    gc.freeze()
    try:
        page_m, html = measure(
            f"page {reverse('dashboard')}", lambda: page.get_page(browser, AS_OF), page_runs
        )
    finally:
        gc.unfreeze()
    results.append(page_m)
    weight = page.weigh(html)

    print(f"{'':30} {'median ms':>10} {'queries':>8} {'peak KiB':>10}")
    for m in results:
        print(f"{m.label:30} {m.median_ms:10.1f} {m.queries:8d} {m.peak_kib:10.0f}")
    print(
        f"page bytes at {name}: {weight.raw:,} raw, {weight.gzip:,} gzip (compressed in "
        f"{weight.gzip_ms:.0f} ms); first load "
        f"{weight.first_load:,} gzip (the HTML and {len(weight.static_files)} CSS/JS files: "
        + ", ".join(f"{file} {size:,}" for file, size in weight.static_files)
        + ")"
    )
    if problems:
        print(f"FIGURES DISAGREE at {name} ({len(problems)} differences), first ones:")
        for line in problems[:10]:
            print("  " + line)
    else:
        open_deadlines = sum(len(statuses) for statuses in floors.deadline_status.values())
        print(
            f"figures agree for all {len(floors.figures):,} communes, with their "
            f"{open_deadlines:,} open deadlines and the panel's {len(floors.deadline_panel)} "
            f"deadlines; the series agrees at its {len(dates)} points"
        )
    if url:
        print(f"API/floor ratio at {name}: {api_m.median_ms / floor_m.median_ms:.2f}")
    print(f"dashboard/floor ratio at {name}: {selector_m.median_ms / floor_m.median_ms:.2f}")
    print(f"page/floor ratio at {name}: {page_m.median_ms / floor_m.median_ms:.2f}")
    ratio = series_m.median_ms / series_floor_m.median_ms
    print(f"series/series floor ratio at {name}: {ratio:.2f}")
    return not problems


def print_server(*, no_jit: bool) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        if no_jit:
            cursor.execute("SET jit = off")
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
        cursor.execute("SHOW jit")
        jit = cursor.fetchone()[0]
        cursor.execute("SHOW shared_buffers")
        buffers = cursor.fetchone()[0]
    print(f"PostgreSQL {version}, jit {jit}, shared_buffers {buffers}; {os.cpu_count()} CPUs")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__)
    parser.add_argument("--scale", choices=["province", "national", "all"], default="all")
    parser.add_argument("--runs", type=int, default=7, help="timed runs per measure (median)")
    parser.add_argument(
        "--page-runs",
        type=int,
        default=None,
        help="timed runs of the whole page and of the series (default: --runs); each takes "
        "seconds at the national scale",
    )
    parser.add_argument("--rebuild", action="store_true", help="build the data again")
    parser.add_argument(
        "--no-jit",
        action="store_true",
        help="turn PostgreSQL's JIT compiler off for the measures (it costs ~1 s per query "
        "at the national scale)",
    )
    parser.add_argument(
        "--no-reports",
        action="store_true",
        help="leave out the compliance report's XLSX and PDF (time and peak memory)",
    )
    args = parser.parse_args(argv)
    # Stopped by a timeout or a kill, a run still removes the activity it added to the shared
    # datasets (run_scale's `finally`).
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))

    url = os.environ.setdefault("DATABASE_URL", DEFAULT_DATABASE_URL)
    # The shared settings, DEBUG off (no query log growing during the timed runs), with a key.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    ensure_database(url)

    import django
    from django.core.management import call_command

    django.setup()
    from bmp_comms.scoping import unscoped

    call_command("migrate", verbosity=0, interactive=False)
    print_server(no_jit=args.no_jit)
    scales = ["province", "national"] if args.scale == "all" else [args.scale]
    ok = True
    # The bench builds and measures whole districts: every row (bmp_comms.scoping).
    with unscoped():
        for name in scales:
            ok = (
                run_scale(
                    name,
                    runs=args.runs,
                    rebuild=args.rebuild,
                    reports=not args.no_reports,
                    page_runs=args.page_runs,
                )
                and ok
            )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
