"""The load run's people (run by bench.load, not by hand): district staff reading the dashboard
and commune officers on their own pages, each signed in by a session cookie that bench.load
made, with 1–2 s of thought between pages. No Django here: locust's processes only speak HTTP."""

from __future__ import annotations

import itertools
import json
import os

from locust import HttpUser, between, constant, task

with open(os.environ["LOAD_SESSIONS"], encoding="utf-8") as sessions_file:
    SESSIONS = json.load(sessions_file)
AS_OF = os.environ["LOAD_AS_OF"]
# Production answers plain HTTP with a redirect to HTTPS: say, as its proxy would, that the
# request came over TLS.
HEADERS = {"X-Forwarded-Proto": "https"}


def fetch(user: HttpUser, path: str, name: str) -> None:
    """A page counts only when it answers 200 itself: a redirect (to the login page, say) is a
    failure, not the login page's 200."""
    with user.client.get(
        path, headers=HEADERS, name=name, allow_redirects=False, catch_response=True
    ) as response:
        if response.status_code != 200:
            response.failure(f"answered {response.status_code}")


_district = itertools.cycle(SESSIONS["district"])
_officers = itertools.cycle(SESSIONS["officers"])


class DistrictStaff(HttpUser):
    wait_time = between(1, 2)
    weight = int(os.environ.get("LOAD_DISTRICT_WEIGHT", "1"))

    def on_start(self) -> None:
        self.client.cookies.set("sessionid", next(_district)["session"])

    @task
    def dashboard(self) -> None:
        fetch(self, f"/dashboard/?date={AS_OF}", "/dashboard/")


class DistrictStaffWithoutThought(DistrictStaff):
    """The dashboard's capacity: the same people asking again as soon as answered, so that the
    server, not their thought, sets the pace (50 people thinking 1–2 s cannot ask for more than
    about 33 pages a second, however fast the page)."""

    wait_time = constant(0)


class CommuneOfficer(HttpUser):
    wait_time = between(1, 2)
    weight = int(os.environ.get("LOAD_OFFICER_WEIGHT", "1"))

    def on_start(self) -> None:
        person = next(_officers)
        self.client.cookies.set("sessionid", person["session"])
        self.commune = person["commune"]

    @task(3)
    def commune_page(self) -> None:
        fetch(self, f"/communes/{self.commune}/", "/communes/<code>/")

    @task(2)
    def bulletins(self) -> None:
        fetch(self, "/bulletins/", "/bulletins/")

    @task(1)
    def deadlines(self) -> None:
        fetch(self, "/deadlines/", "/deadlines/")
