"""`python -m bench.run --scale province|national|all`: build (or reuse) each scale's dataset on
PostgreSQL, then time the dashboard selector and the dashboard API beside the floor, a
hand-written query computing the same figures, and check that all three agree; then compile
the compliance report's XLSX and PDF at that scale (bench.compliance; `--no-reports` skips it).

The database is DATABASE_URL (default postgres://postgres@127.0.0.1:5432/bmp_bench); it is
created when missing and migrated. Exit status 1 when any figure disagrees.
"""

from __future__ import annotations

import argparse
import os
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


def run_scale(name: str, *, runs: int, rebuild: bool, reports: bool = True) -> bool:
    from django.urls import NoReverseMatch, reverse
    from rest_framework.test import APIClient

    from bench import compare
    from bench.dataset import AS_OF, SCALES, build
    from bench.floor import floor_figures
    from reports.dashboard import selectors

    scale = SCALES[name]
    print(f"== {name}", flush=True)
    built = build(scale, force=rebuild, log=lambda line: print(line, flush=True))
    counts = ", ".join(f"{value:,} {key.replace('_', ' ')}" for key, value in built.counts.items())
    how = "reused" if built.reused else "built"
    print(f"{counts} ({how} in {built.seconds:.1f} s); figures as of {AS_OF:%d/%m/%Y}")
    user, district_id = built.user, built.district.pk

    floor_m, floor = measure(
        "floor (one SQL query)", lambda: floor_figures(district_id=district_id, as_of=AS_OF), runs
    )
    label, call = "dashboard_rows", lambda: selectors.dashboard_rows(user=user, as_of=AS_OF)
    selector_m, selector_result = measure(f"selector {label}", call, runs)
    results = [floor_m, selector_m]
    problems = compare.differences(floor, compare.selector_figures(selector_result))

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
        problems += compare.api_differences(floor, compare.api_rows(payload))
    else:
        print("(no api-dashboard URL: the API is not measured)")

    print(f"{'':30} {'median ms':>10} {'queries':>8} {'peak KiB':>10}")
    for m in results:
        print(f"{m.label:30} {m.median_ms:10.1f} {m.queries:8d} {m.peak_kib:10.0f}")
    if problems:
        print(f"FIGURES DISAGREE at {name} ({len(problems)} communes), first ones:")
        for line in problems[:10]:
            print("  " + line)
    else:
        print(f"figures agree for all {len(floor):,} communes")
    if url:
        print(f"API/floor ratio at {name}: {api_m.median_ms / floor_m.median_ms:.2f}")
    print(f"dashboard/floor ratio at {name}: {selector_m.median_ms / floor_m.median_ms:.2f}")
    within = True
    if reports:
        from bench import compliance

        within = compliance.run_scale(name, built.district)
    # The import of 5,000 member counts (bench.imports), rolled back afterwards.
    from bench import imports

    return imports.run_scale(name, built.district, user) and not problems and within


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

    url = os.environ.setdefault("DATABASE_URL", DEFAULT_DATABASE_URL)
    # The shared settings, DEBUG off: no query log growing during the timed runs.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bmp_comms.settings.base")
    ensure_database(url)

    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)
    print_server(no_jit=args.no_jit)
    scales = ["province", "national"] if args.scale == "all" else [args.scale]
    ok = True
    for name in scales:
        ok = (
            run_scale(name, runs=args.runs, rebuild=args.rebuild, reports=not args.no_reports)
            and ok
        )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
