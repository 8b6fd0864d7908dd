"""Every page, every API endpoint and every admin page, read by every member of the cast with
scoping enforced (bmp_comms.scoping): no view builds a query on a commune-owned model without
a scope. A forgotten `for_user` raises ScopeError, which the test client lets through.

The URLs are every pattern of the URL configuration, with the ids of real rows of a small
district (tests/core/scale.py) put in; a pattern naming an id this file does not know fails the
test, so a new page is walked from the day it is added.
"""

from __future__ import annotations

import re

import pytest
import time_machine
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

from bmp_comms.roles import Role
from deadlines.models import Submission
from reports.models import ComplianceReport
from tests.core.scale import NOW, SMALL, build_world

# The cast: a visitor, the officer and leader of commune A, an officer of another commune, the
# district staff and leader, and an administrator (a login without a role).
ROLES = [None, "officer", "leader", "officer_b", "staff", "district_leader", "admin"]

# (the segment before the id, the id's name) → the key of world.ids; None: any segment.
IDS = {
    ("communes", "pk"): "commune",
    ("districts", "pk"): "district",
    ("communes", "code"): "code",
    ("villages", "pk"): "village",
    ("villages", "village_pk"): "village",
    ("officers", "pk"): "officer",
    ("users", "pk"): "login",
    ("fields", "code"): "field",
    ("field-assignments", "pk"): "assignment",
    ("groups", "pk"): "group",
    ("groups", "group_pk"): "group",
    ("bulletins", "pk"): "bulletin",
    ("deliveries", "pk"): "delivery",
    ("channels", "pk"): "channel",
    ("deadlines", "pk"): "deadline",
    ("submissions", "pk"): "submission",
    ("reminders", "pk"): "reminder",
    ("inspections", "pk"): "inspection",
    ("notifications", "pk"): "notification",
    ("reports", "pk"): "report",
    ("v", "code"): "verify_code",
    ("c", "code"): "code",
    (None, "date"): "count_date",
    (None, "fmt"): "csv",
    (None, "kind"): "villages",
    (None, "action"): "submit",
}
GROUP = re.compile(r"<(?:\w+:)?(?P<name>\w+)>|\(\?P<(?P<rname>\w+)>[^)]*\)")


def _patterns(patterns, prefix=""):
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            # The admin site is walked model by model below.
            if not route.startswith("admin/"):
                yield from _patterns(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            yield route


ROUTES = sorted(set(_patterns(get_resolver().url_patterns)))


def _url(route: str, ids: dict) -> str:
    def value(match: re.Match) -> str:
        name = match["name"] or match["rname"]
        segment = route[: match.start()].rstrip("/").rsplit("/", 1)[-1].lstrip("^")
        key = IDS.get((segment, name)) or IDS[(None, name)]
        return str(ids.get(key, key))

    return "/" + GROUP.sub(value, route).replace("^", "").replace("$", "").replace("\\", "")


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), time_machine.travel(NOW, tick=False):
        with transaction.atomic():
            built = build_world(SMALL)
            users = built.users
            users["officer_b"] = (
                get_user_model()
                .objects.filter(
                    profile__role=Role.COMMUNE_OFFICER, profile__district=built.district
                )
                .exclude(profile__commune=built.commune_a)[0]
            )
            built.ids["notification"] = users["officer"].notifications.values_list("pk", flat=True)[
                0
            ]
            built.ids["admin"] = _admin_urls()
            files = [
                *Submission.objects.exclude(attachment="").values_list("attachment", flat=True),
                *ComplianceReport.objects.exclude(file="").values_list("file", flat=True),
            ]
            yield built
            transaction.set_rollback(True)
        for name in files:
            default_storage.delete(name)


def _clients(world) -> dict:
    clients = {}
    for role in ROLES:
        clients[role] = Client()
        if role is not None:
            clients[role].force_login(world.users[role])
    return clients


@pytest.mark.scoped
@pytest.mark.parametrize("route", ROUTES)
def test_every_page_scopes_its_queries(world, db, route):
    url = _url(route, world.ids)
    resolve(url)  # the ids put in make a URL of this very pattern
    with time_machine.travel(NOW, tick=False):
        for role, client in _clients(world).items():
            # A ScopeError is raised through the client; any other failure is a 500.
            response = client.get(url)
            assert response.status_code < 500, (role, url)


def _admin_urls() -> list[str]:
    urls = []
    for model in admin.site._registry:
        name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        urls += [reverse(f"{name}_changelist"), reverse(f"{name}_add")]
        row = model._default_manager.order_by("pk").first()
        if row is not None:
            urls += [
                reverse(f"{name}_change", args=[row.pk]),
                reverse(f"{name}_history", args=[row.pk]),
            ]
    return urls


@pytest.mark.scoped
def test_the_admin_site_reads_every_row(world, db):
    client = Client()
    client.force_login(world.users["admin"])
    with time_machine.travel(NOW, tick=False):
        for url in world.ids["admin"]:
            # 403: an add page of rows only the system writes.
            assert client.get(url).status_code in (200, 403), url
