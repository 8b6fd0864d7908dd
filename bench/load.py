"""`python -m bench.load --scale province`: the load run. Gunicorn serves the production
settings (3 workers, as on a 2-core host) on the scale's data; locust runs headless, first 50
district staff on the dashboard, then the same 50 asking again as soon as answered (the
dashboard's capacity: thinking 1–2 s, 50 people cannot ask for more than about 33 pages a
second), then 100 commune officers on their pages, each with 1–2 s of thought between pages,
for 60 s each; printed: requests a second, median and p95, and failures.

People are signed in by sessions made here (logging in 150 times would time the password hash,
not the pages); the officers and the sessions are removed afterwards. Exit status 1 when a
request failed.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OFFICER_PREFIX = "load-officer-"
# The same key in the sessions made here and in the served settings: a session carries a hash
# of the user's password salted with it.
SECRET_KEY = "bench-only-key-not-secret"


@dataclass(frozen=True)
class LoadResult:
    label: str
    users: int
    requests: int
    failures: int
    rps: float
    median_ms: float
    p95_ms: float

    def line(self) -> str:
        return (
            f"load {self.label}: {self.users} users, {self.requests:,} requests, "
            f"{self.rps:.1f} req/s, median {self.median_ms:.0f} ms, p95 {self.p95_ms:.0f} ms, "
            f"{self.failures} failures"
        )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _session_for(user) -> str:
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def people(district, staff, *, district_users: int, officers: int) -> dict:
    """A session per district user (all the scale's staff member) and an officer with a
    session in each of the first `officers` communes of the district."""
    from django.contrib.auth import get_user_model

    from communes.models import Commune, Officer, Role, UserProfile

    remove_people()
    sessions = {"district": [{"session": _session_for(staff)} for _ in range(district_users)]}
    communes = list(Commune.objects.filter(district=district).order_by("code")[:officers])
    officer_rows = []
    for n, commune in enumerate(communes):
        user = get_user_model().objects.create(
            username=f"{OFFICER_PREFIX}{n}", first_name=f"Cán bộ {n}"
        )
        user.set_unusable_password()
        user.save(update_fields=["password"])
        UserProfile.objects.create(
            user=user, role=Role.COMMUNE_OFFICER, district=district, commune=commune
        )
        Officer.objects.create(commune=commune, full_name=user.first_name, user=user)
        officer_rows.append({"session": _session_for(user), "commune": commune.code})
    sessions["officers"] = officer_rows
    return sessions


def remove_people() -> None:
    from django.contrib.auth import get_user_model
    from django.contrib.sessions.models import Session

    get_user_model().objects.filter(username__startswith=OFFICER_PREFIX).delete()
    # The sessions made for the run: every session is the bench database's own.
    Session.objects.all().delete()


def _serve(port: int, database_url: str) -> subprocess.Popen:
    from cryptography.fernet import Fernet

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bmp_comms.settings.production",
        "SECRET_KEY": SECRET_KEY,
        "DATABASE_URL": database_url,
        "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SITE_URL": f"http://127.0.0.1:{port}",
        "CHANNEL_CREDENTIALS_KEY": Fernet.generate_key().decode(),
    }
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    server = subprocess.Popen(
        [
            sys.executable, "-m", "gunicorn", "bmp_comms.wsgi",
            "--workers", "3", "--bind", f"127.0.0.1:{port}",
            "--log-level", "warning",
        ],
        cwd=ROOT,
        env=env,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            probe = urllib.request.Request(
                f"http://127.0.0.1:{port}/healthz", headers={"X-Forwarded-Proto": "https"}
            )
            with urllib.request.urlopen(probe, timeout=2):
                return server
        except OSError:
            time.sleep(0.5)
    server.terminate()
    raise SystemExit("bench: gunicorn did not answer /healthz within 60 s")


def _locust(
    *, port: int, user_class: str, users: int, seconds: int, sessions: str, as_of: str, label: str
) -> LoadResult:
    with tempfile.TemporaryDirectory() as folder:
        prefix = os.path.join(folder, "run")
        ran = subprocess.run(
            [
                sys.executable, "-m", "locust", "-f", str(ROOT / "bench" / "locustfile.py"),
                user_class, "--headless", "--users", str(users),
                "--spawn-rate", str(max(1, users // 5)), "--run-time", f"{seconds}s",
                "--host", f"http://127.0.0.1:{port}", "--csv", prefix, "--only-summary",
                "--loglevel", "WARNING", "--stop-timeout", "5",
            ],
            cwd=ROOT,
            env={**os.environ, "LOAD_SESSIONS": sessions, "LOAD_AS_OF": as_of},
            check=False,
            capture_output=True,
            text=True,
        )  # fmt: skip
        if not os.path.exists(f"{prefix}_stats.csv"):
            raise SystemExit(f"bench: locust wrote no statistics:\n{ran.stderr[-2000:]}")
        with open(f"{prefix}_stats.csv", encoding="utf-8") as stats_file:
            total = next(row for row in csv.DictReader(stats_file) if row["Name"] == "Aggregated")
        with open(f"{prefix}_failures.csv", encoding="utf-8") as failures_file:
            for row in list(csv.DictReader(failures_file))[:5]:
                print(f"  failed {row['Occurrences']}× {row['Name']}: {row['Error']}")
    return LoadResult(
        label=label,
        users=users,
        requests=int(total["Request Count"]),
        failures=int(total["Failure Count"]),
        rps=float(total["Requests/s"]),
        median_ms=float(total["Median Response Time"]),
        p95_ms=float(total["95%"]),
    )


def run(
    name: str, *, district_users: int, officers: int, seconds: int, database_url: str
) -> list[LoadResult]:
    from bench import activity
    from bench.dataset import AS_OF, SCALES, build

    built = build(SCALES[name], log=lambda line: print(line, flush=True))
    activity.add(built.district, built.user)
    # The figures the pages read kept, as the nightly job and the writes keep them: the
    # dashboard's of D and the commune pages' of today.
    from bench.run import prepare_page

    prepare_page(built, today=True)
    port = _free_port()
    results = []
    try:
        with tempfile.TemporaryDirectory() as folder:
            sessions_path = os.path.join(folder, "sessions.json")
            with open(sessions_path, "w", encoding="utf-8") as sessions_file:
                json.dump(
                    people(
                        built.district,
                        built.user,
                        district_users=district_users,
                        officers=officers,
                    ),
                    sessions_file,
                )
            server = _serve(port, database_url)
            try:
                for user_class, users, label in (
                    ("DistrictStaff", district_users, f"{name} dashboard (district staff)"),
                    (
                        "DistrictStaffWithoutThought",
                        district_users,
                        f"{name} dashboard capacity (no thought between pages)",
                    ),
                    ("CommuneOfficer", officers, f"{name} officer pages"),
                ):
                    result = _locust(
                        port=port,
                        user_class=user_class,
                        users=users,
                        seconds=seconds,
                        sessions=sessions_path,
                        as_of=AS_OF.isoformat(),
                        label=label,
                    )
                    print(result.line(), flush=True)
                    results.append(result)
            finally:
                server.send_signal(signal.SIGTERM)
                server.wait(timeout=30)
    finally:
        remove_people()
        activity.remove(built.district)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__)
    parser.add_argument("--scale", choices=["tiny", "province", "national"], default="province")
    parser.add_argument("--district-users", type=int, default=50)
    parser.add_argument("--officers", type=int, default=100)
    parser.add_argument("--seconds", type=int, default=60)
    args = parser.parse_args(argv)
    from bench.run import DEFAULT_DATABASE_URL, ensure_database

    url = os.environ.setdefault("DATABASE_URL", DEFAULT_DATABASE_URL)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    ensure_database(url)

    import django
    from django.core.management import call_command

    django.setup()
    from bmp_comms.scoping import unscoped

    call_command("migrate", verbosity=0, interactive=False)
    with unscoped():
        results = run(
            args.scale,
            district_users=args.district_users,
            officers=args.officers,
            seconds=args.seconds,
            database_url=url,
        )
    return 1 if any(result.failures for result in results) else 0


if __name__ == "__main__":
    sys.exit(main())
