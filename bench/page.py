"""The whole dashboard page as a person loads it: `GET /dashboard/?date=D` through Django's test
client, logged in as the scale's district user, and its weight: the HTML raw and gzip-compressed
(as django.middleware.gzip.GZipMiddleware sends it in production), and the first load, that
HTML and every CSS and JS file it references, each gzip-compressed as WhiteNoise serves it."""

from __future__ import annotations

import datetime
import re
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse
from django.utils.text import compress_string
from whitenoise.compress import Compressor

# <link … href="/static/…"> and <script … src="/static/…">. The calendar's files, whose
# addresses static/js/datepicker.js carries as data attributes, are fetched when a calendar is
# first opened, not with the page.
REFERENCE = re.compile(r"""<(?:link\b[^>]*\bhref|script\b[^>]*\bsrc)=["']([^"']+)["']""")


class PageError(Exception):
    pass


@dataclass(frozen=True)
class PageWeight:
    raw: int
    gzip: int
    # What compressing the HTML took, once: production's GZipMiddleware spends it per request.
    gzip_ms: float
    # Each CSS or JS file the page references, with its gzip-compressed size.
    static_files: tuple[tuple[str, int], ...]

    @property
    def first_load(self) -> int:
        return self.gzip + sum(size for _, size in self.static_files)


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def get_page(client: Client, as_of: datetime.date) -> bytes:
    """The page's HTML; a PageError unless it answers 200."""
    response = client.get(reverse("dashboard"), {"date": as_of.isoformat()}, HTTP_HOST="localhost")
    if response.status_code != 200:
        raise PageError(f"{reverse('dashboard')} answered {response.status_code}")
    return response.content


def static_references(html: str) -> list[str]:
    """The static CSS and JS files the page references, as paths below STATIC_URL, in order."""
    paths = []
    for url in REFERENCE.findall(html):
        path = url.split("?", 1)[0]
        if path.startswith(settings.STATIC_URL) and path.endswith((".css", ".js")):
            name = path.removeprefix(settings.STATIC_URL)
            if name not in paths:
                paths.append(name)
    return paths


def weigh(content: bytes) -> PageWeight:
    """The page's bytes raw and gzip-compressed, and its static files' compressed bytes."""
    started = time.perf_counter()
    compressed = compress_string(content)
    gzip_ms = (time.perf_counter() - started) * 1000
    files = []
    for name in static_references(content.decode()):
        found = finders.find(name)
        if found is None:
            raise PageError(f"the page references {name}, which no static files finder has")
        files.append((name, len(Compressor.compress_gzip(Path(found).read_bytes()))))
    return PageWeight(len(content), len(compressed), gzip_ms, tuple(files))
