"""A NUL character anywhere a client can put one is bad input, never a 500 (docs/rules.md,
Bad input): PostgreSQL can neither store nor compare a string holding one, so code that queries
with raw input before validating it crashes there, while SQLite lets it through.

Every route of the URL resolver (but Django's own admin site) is called by the member of the
cast who may use it, over the district of tests/core/scale.py, with a NUL in each of its path
parameters, in each query parameter it reads, in each form field it reads and in each JSON key it
reads (as a string, and as a list of one string). What a route reads is observed, not listed: a
first call without input records the keys its code asks the query string, the form body and the
JSON body for.
"""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
import time_machine
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern
from django.utils.datastructures import MultiValueDict
from rest_framework.test import APIClient

from bmp_comms import parsers
from bmp_comms.login_throttle import attempt_cache
from deadlines.models import Submission
from notifications.models import Notification
from reports.models import ComplianceReport
from tests.core.scale import NOW, SMALL, build_world

NUL = "vh\x00tt"
# A parameter no route reads, so that the query string and the body are not empty.
PROBE = {"probe": "1"}

# Who calls each route (default: the district staff): one who may use it, so that its code runs
# past the permission check and reads its input. Keys are url names, "api …" under /api/.
ROLES = {
    "healthz": None,
    "login": None,
    "admin-login": None,
    "set_language": None,
    "api api-token": None,
    "bulletin-create": "officer",
    "bulletin-edit": "officer",
    "bulletin-checks": "officer",
    "bulletin-review": "leader",
    "bulletin-action": "officer",
    "delivery-confirm": "officer",
    "field-assignment-edit": "leader",
    "submission-create": "officer",
    "api bulletin-list": "officer",
    "api bulletin-detail": "officer",
    "api bulletin-submit": "officer",
    "api bulletin-approve": "leader",
    "api bulletin-reject": "leader",
    "api bulletin-publish": "leader",
    "api delivery-confirm": "officer",
    "api field-assignment-detail": "leader",
    "api api-deadline-submissions": "officer",
    "api api-notification-read": "officer",
    "notification-read": "officer",
    "bulletin-qr": "officer",
    "public-verify": None,
    "public-commune": None,
    "public-feed": None,
}
# The world's id each route's `pk` names (tests/core/scale.py).
PKS = {
    "village-edit": "village",
    "bluzone-count-create": "village",
    "officer-edit": "officer",
    "group-edit": "group",
    "member-count-create": "group",
    "bulletin-detail": "bulletin",
    "bulletin-qr": "bulletin",
    "bulletin-edit": "draft",
    "bulletin-action": "draft",
    "delivery-confirm": "delivery",
    "field-assignment-edit": "assignment",
    "deadline-detail": "deadline",
    "deadline-close": "deadline",
    "submission-create": "deadline",
    "submission-attachment": "submission",
    "notification-read": "notification",
    "report-progress": "report",
    "report-download": "report",
    "report-compile-again": "report",
    "api commune-detail": "commune",
    "api district-detail": "district",
    "api commune-merge": "commune",
    "user-edit": "login",
    "api village-detail": "village",
    "api officer-detail": "officer",
    "api user-detail": "login",
    "api field-assignment-detail": "assignment",
    "api group-detail": "group",
    "api bulletin-detail": "draft",
    "api bulletin-approve": "bulletin",
    "api bulletin-deliveries": "bulletin",
    "api bulletin-publish": "bulletin",
    "api bulletin-reject": "bulletin",
    "api bulletin-submit": "draft",
    "api delivery-detail": "delivery",
    "api delivery-confirm": "delivery",
    "api delivery-evidence": "delivery",
    "api channel-detail": "channel",
    "api api-deadline-submissions": "submitted_deadline",
    "api api-submission-attachment": "submission",
    "api api-deadline-detail": "deadline",
    "api api-reminder-detail": "reminder",
    "api api-inspection-detail": "inspection",
    "api api-notification-read": "notification",
    "api api-report-detail": "report",
    "api api-report-compile-again": "report",
    "api api-report-download": "report",
    "api api-import-villages": "commune",
    "api api-import-member-counts": "commune",
}
# Other path parameters, by name (a field's code is the only other `code`).
PARAMETERS = {
    "code": "code",
    "village_pk": "village",
    "group_pk": "group",
    "date": "count_date",
}
FIXED = {"kind": "villages", "fmt": "csv", "action": "submit"}


def _routes(patterns, chain=()):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace != "admin":  # Django's own admin site
                yield from _routes(pattern.url_patterns, (*chain, pattern))
        elif isinstance(pattern, URLPattern):
            yield (*chain, pattern)


def _key(chain) -> str:
    api = "".join(str(link.pattern) for link in chain).startswith("api/")
    return f"{'api ' if api else ''}{chain[-1].name}"


ROUTES = {_key(chain): chain for chain in _routes(get_resolver().url_patterns)}


def _url(chain, kwargs: dict) -> str:
    """The route's path with these arguments, whether or not its pattern would match them
    (`reverse` refuses what the pattern does not match; the resolver is to answer it)."""
    path = ""
    for link in chain:
        text = str(link.pattern)
        if isinstance(link.pattern, RegexPattern):
            text = re.sub(r"\(\?P<(\w+)>[^()]*\)", r"{\1}", text)
            text = text.lstrip("^").rstrip("$").replace("\\.", ".")
        else:
            text = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", text)
        path += text
    return "/" + path.format(**{name: quote(str(value)) for name, value in kwargs.items()})


def _parameters(chain) -> list[str]:
    pattern = chain[-1].pattern
    names = list(getattr(pattern, "converters", {}))
    names += [name for name in pattern.regex.groupindex if name not in names]
    return names


class Reads:
    """Records the keys code asks of the query string, the form body (both MultiValueDicts)
    and the JSON body of the requests made while it is active."""

    def __init__(self, monkeypatch):
        self.keys: list[tuple[int, str]] = []
        self.bodies: list[dict] = []  # the JSON bodies parsed
        reads = self

        def recording(method):
            def read(self, key, *args, **kwargs):
                reads.keys.append((id(self), key))
                return method(self, key, *args, **kwargs)

            return read

        for name in ("get", "getlist", "__getitem__", "__contains__"):
            monkeypatch.setattr(MultiValueDict, name, recording(getattr(MultiValueDict, name)))

        class ReadDict(dict):
            get = recording(dict.get)
            __getitem__ = recording(dict.__getitem__)
            __contains__ = recording(dict.__contains__)

        parse = parsers.JSONParser.parse

        def parse_recording(self, *args, **kwargs):
            data = parse(self, *args, **kwargs)
            if isinstance(data, dict):
                data = ReadDict(data)
                reads.bodies.append(data)
            return data

        monkeypatch.setattr(parsers.JSONParser, "parse", parse_recording)

    def of(self, *containers) -> set[str]:
        owners = {id(container) for container in containers}
        return {key for owner, key in self.keys if owner in owners and isinstance(key, str)}

    def clear(self) -> None:
        self.keys.clear()
        self.bodies.clear()


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), time_machine.travel(NOW, tick=False):
        with transaction.atomic():
            built = build_world(SMALL)
            built.ids["notification"] = (
                Notification.objects.filter(user=built.users["officer"])
                .values_list("pk", flat=True)
                .first()
            )
            files = [
                *Submission.objects.exclude(attachment="").values_list("attachment", flat=True),
                *ComplianceReport.objects.exclude(file="").values_list("file", flat=True),
            ]
            yield built
            transaction.set_rollback(True)
        for name in files:
            default_storage.delete(name)


def _client(world, role, *, api: bool):
    if api:
        client = APIClient(raise_request_exception=False)
        if role is not None:
            client.credentials(HTTP_AUTHORIZATION=f"Token {world.token(role)}")
        return client
    client = Client(raise_request_exception=False)
    if role is not None:
        client.force_login(world.users[role])
    return client


def _methods(chain) -> list[str]:
    callback = chain[-1].callback
    if getattr(callback, "actions", None):
        return list(callback.actions)
    view = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
    if view is not None:
        return [m for m in ("get", "post", "put", "patch") if hasattr(view, m)]
    return ["get", "post"]


def _format(chain) -> str:
    """How the endpoint takes its body: JSON, or a multipart form (the imports)."""
    callback = chain[-1].callback
    view = getattr(callback, "cls", None)
    parsers_ = getattr(view, "parser_classes", ())
    return "json" if any(issubclass(p, parsers.JSONParser) for p in parsers_) else "multipart"


def _send(client, method, url, *, body_format=None, query=None, data=None):
    # Each request with a full login budget: the throttle must not answer before the code under
    # test has read its input.
    cache.clear()
    attempt_cache.reset()
    if query:
        url = f"{url}?{'&'.join(f'{key}={value}' for key, value in query.items())}"
    if method == "get":
        return client.get(url)
    if body_format:
        return getattr(client, method)(url, data or {}, format=body_format)
    return getattr(client, method)(url, data or {})


def _give_the_delivery_a_picture(delivery_id: int) -> None:
    """The world's deliveries have no picture of their post; the picture's route serves one."""
    import io

    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from PIL import Image

    from bulletins.models import Delivery

    out = io.BytesIO()
    Image.new("RGB", (2, 2), "white").save(out, "JPEG")
    name = default_storage.save("evidence/nul-sweep.jpg", ContentFile(out.getvalue()))
    Delivery.objects.unscoped().filter(pk=delivery_id).update(evidence=name)


@pytest.mark.parametrize("key", sorted(ROUTES))
def test_a_nul_character_is_never_a_500(world, db, monkeypatch, key):
    chain = ROUTES[key]
    ids = world.ids
    api = key.startswith("api ")
    role = ROLES.get(key, "staff")
    kwargs = {}
    for name in _parameters(chain):
        if name == "pk":
            kwargs[name] = ids[PKS[key]]
        elif key == "api field-detail":
            kwargs[name] = ids["field"]
        elif key == "public-verify":
            kwargs[name] = ids["verify_code"]
        elif name in PARAMETERS:
            kwargs[name] = ids[PARAMETERS[name]]
        else:
            kwargs[name] = FIXED[name]
    if key == "api delivery-evidence":
        _give_the_delivery_a_picture(ids["delivery"])
    url = _url(chain, kwargs)
    methods = _methods(chain)
    body_format = _format(chain) if api else None
    client = _client(world, role, api=api)
    failures = []

    def check(response, what):
        if response.status_code >= 500:
            failures.append(f"{what}: {response.status_code}")

    # A NUL in each path parameter.
    for name in kwargs:
        bad_url = _url(chain, {**kwargs, name: NUL})
        for method in methods:
            response = _send(client, method, bad_url, body_format=body_format)
            check(response, f"{method} {bad_url}")

    # What each method reads, given input it does not know (some code reads nothing from an
    # empty query string or body: `Form(request.POST or None)`, django-filter)…
    reads = Reads(monkeypatch)
    read = {}
    statuses = []
    for method in methods:
        response = _send(client, method, url, body_format=body_format, query=PROBE, data=PROBE)
        statuses.append(response.status_code)
        request = response.wsgi_request
        query = reads.of(request.GET) - set(PROBE)
        if api:
            # A file answered is no Response of DRF's: it has no request to ask.
            context = getattr(response, "renderer_context", None) or {}
            data = context["request"].data if "request" in context else {}
            body = reads.of(*reads.bodies, data, request.POST, request.FILES)
            read[method] = (query, set(), body - set(PROBE))
        else:
            read[method] = (query, reads.of(request.POST, request.FILES) - set(PROBE), set())
        reads.clear()
    monkeypatch.undo()
    assert set(statuses) - {403, 404, 405}, f"{key} as {role} reached nothing: {statuses}"

    # …then a NUL in each of them.
    for method, (query, form, body) in read.items():
        for name in sorted(query):
            response = _send(client, method, url, body_format=body_format, query={name: quote(NUL)})
            check(response, f"{method} ?{name}=")
        for name in sorted(form):
            check(_send(client, method, url, data={name: NUL}), f"{method} {name}=")
        for name in sorted(body):
            values = (NUL, [NUL]) if body_format == "json" else (NUL,)
            for value in values:
                response = _send(client, method, url, body_format=body_format, data={name: value})
                check(response, f"{method} {{{name!r}: {value!r}}}")
    assert not failures, f"{url}: {failures}"
