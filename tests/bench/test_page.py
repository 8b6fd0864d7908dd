"""The whole-page measure of `make bench` (bench.page and bench.run), proven on the tiny
dataset: the page answers 200 logged in as the scale's district user, its bytes raw and
compressed and its first load are what the files hold, and one run of the dashboard's measures
agrees and prints every line."""

import gzip

import pytest
from django.contrib.staticfiles import finders

from bench import activity, page, run
from bench.dataset import AS_OF, SCALES, build
from communes.models import Commune, Role
from tests.factories import make_user

pytestmark = pytest.mark.django_db

DASHBOARD_FILES = [
    "vendor/bootstrap/bootstrap.min.css",
    "css/app.css",
    "css/dashboard.css",
    "js/app.js",
    # the calendar's loader: flatpickr is fetched when a calendar is first opened
    "js/datepicker.js",
]


@pytest.fixture
def tiny():
    built = build(SCALES["tiny"])
    activity.add(built.district, built.user)
    return built


def test_the_page_is_read_logged_in_and_weighed(tiny):
    html = page.get_page(page.logged_in(tiny.user), AS_OF)

    text = html.decode()
    assert 'id="commune-table"' in text
    for code in Commune.objects.filter(district=tiny.district).values_list("code", flat=True):
        assert f'data-code="{code}"' in text
    weight = page.weigh(html)
    assert weight.raw == len(html)
    assert 0 < weight.gzip < weight.raw / 4
    assert [name for name, _ in weight.static_files] == DASHBOARD_FILES
    for name, size in weight.static_files:
        with open(finders.find(name), "rb") as file:
            assert size == len(gzip.compress(file.read(), compresslevel=9, mtime=0))
    assert weight.first_load == weight.gzip + sum(size for _, size in weight.static_files)


def test_a_page_that_does_not_answer_200_stops_the_measure(tiny):
    commune = Commune.objects.filter(district=tiny.district).first()
    officer = make_user(Role.COMMUNE_OFFICER, commune=commune, username="xa-bench")

    # a commune's users are sent to their own commune's page
    with pytest.raises(page.PageError, match="answered 302"):
        page.get_page(page.logged_in(officer), AS_OF)


def test_static_references_are_the_pages_own_css_and_js_once_each():
    html = (
        '<link rel="stylesheet" href="/static/css/app.css?v=2">'
        '<link rel="icon" href="/static/img/logo.png">'
        '<link rel="stylesheet" href="https://cdn.example.org/static/x.css">'
        "<script src='/static/js/app.js'></script>"
        '<script defer src="/static/js/app.js"></script>'
        '<a href="/static/css/other.css">not loaded</a>'
    )
    assert page.static_references(html) == ["css/app.css", "js/app.js"]


def test_one_run_of_the_dashboards_measures_agrees_and_prints_every_line(tiny, capsys):
    assert run.measure_dashboard("tiny", tiny, runs=1, page_runs=1)

    out = capsys.readouterr().out
    for label in ("floor", "series floor", "selector", "series", "API", "page /dashboard/"):
        assert f"\n{label}" in out
    assert "figures agree for all 3 communes" in out
    assert "page bytes at tiny: " in out and " raw, " in out and "first load" in out
    for ratio in ("API/floor", "dashboard/floor", "page/floor", "series/series floor"):
        assert f"{ratio} ratio at tiny: " in out
