"""Objects of communes A and B for the page tests, and a reader of what a page shows by a field
(a plugin of tests/conftest.py)."""

from html.parser import HTMLParser

import pytest
from django.test import Client
from django.utils import translation

from tests.factories import GroupFactory, OfficerFactory, VillageFactory


@pytest.fixture
def village_a(commune_a):
    return VillageFactory(commune=commune_a, name="Thôn 1", households=300)


@pytest.fixture
def village_b(commune_b):
    return VillageFactory(commune=commune_b, name="Thôn Đắk Côn")


@pytest.fixture
def group_a(village_a):
    return GroupFactory(village=village_a, name="Zalo thôn 1")


@pytest.fixture
def staff_officer_a(commune_a):
    """An officer of commune A without a login."""
    return OfficerFactory(commune=commune_a, full_name="Trần Thị Bình", position="Văn hóa")


@pytest.fixture
def client_as():
    """`client_as(user)` → a Client logged in as that user (anonymous for None)."""

    def make(user):
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    return make


VOID_TAGS = {"area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


class _TextById(HTMLParser):
    def __init__(self, element_id: str):
        super().__init__()
        self.element_id = element_id
        self.depth = 0
        self.parts: list[str] = []
        self.found = False

    def handle_starttag(self, tag, attrs):
        if tag in VOID_TAGS:
            return
        if self.depth:
            self.depth += 1
        elif dict(attrs).get("id") == self.element_id:
            self.depth = 1
            self.found = True

    def handle_endtag(self, tag):
        if self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            self.parts.append(data)


def text_of(response, element_id: str) -> str | None:
    """The text inside the element with that id, or None when the page has none."""
    parser = _TextById(element_id)
    parser.feed(response.content.decode())
    return " ".join(" ".join(parser.parts).split()) if parser.found else None


class _InvalidControls(HTMLParser):
    def __init__(self):
        super().__init__()
        self.names: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("input", "select", "textarea") and "is-invalid" in (attrs.get("class") or ""):
            self.names.add(attrs.get("name"))


def invalid_controls(response) -> set[str]:
    """Names of the inputs the page marks invalid (red, with aria-invalid)."""
    parser = _InvalidControls()
    parser.feed(response.content.decode())
    return parser.names


def field_error(response, field: str) -> str | None:
    """The messages shown beside a form field."""
    return text_of(response, f"id_{field}_errors")


def vi(message: str, **params) -> str:
    """Another area's message (a service's) as the pages show it by default: in Vietnamese.
    Its wording is that area's; what is tested here is that it stands by the right field."""
    with translation.override("vi"):
        text = translation.gettext(message)
    assert text != message, f"not translated: {message}"
    return text % params if params else text


class Theirs(str):
    """In a parametrize table: another area's message id, to be compared in Vietnamese."""


def expected(message: str) -> str:
    return vi(message) if isinstance(message, Theirs) else message
