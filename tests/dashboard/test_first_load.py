"""The dashboard's first load (issue 21): the HTML and every CSS and JS file it references, each
gzip-compressed as they are served, weighed as `make bench` weighs it (bench.page.weigh), stays
within 70 KiB at every scale the page takes: a district, the most communes drawn a bar each, a
full page of 200 communes with the coverage bands, and a nation. Its charts are SVG drawn on the
server: no page loads a chart library."""

from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import reverse

from bench import page
from communes.models import BluzoneCount, Commune, Village
from dashboard.charts import BARS_MAX
from dashboard.selectors import PAGE_SIZE
from tests.dashboard.conftest import D, day, deadline_over, populate_in_bulk

# Issue 21's goal. htmx (17 KiB) is loaded only by the pages whose partials swap themselves,
# the calendar (18 KiB) when it is first opened, and no page loads Bootstrap's script (24 KiB;
# static/js/app.js does the little the portal asked of it): the page, its styles and its
# scripts come to about 52 KiB at most (54 at the bench's nation).
FIRST_LOAD_MAX = 70 * 1024


def with_bluzone(district, communes: int) -> None:
    """populate_in_bulk's communes, each with smartphone users and Bluzone installs of its
    own, and every third with a target of its own: every bar has its value and every row its
    own target line, the bars' heaviest drawing. Two open deadlines cover them all, so every
    row of the table lists its deadlines too."""
    populate_in_bulk(district, communes)
    deadline_over(district, D)
    deadline_over(district, day(8, 20))
    villages = Village.objects.filter(commune__district=district).order_by("pk")
    villages.update(smartphone_users=800)
    BluzoneCount.objects.bulk_create(
        [
            BluzoneCount(village_id=pk, date=day(8, 1), installs=(index * 37) % 800)
            for index, pk in enumerate(villages.values_list("pk", flat=True))
        ],
        batch_size=2000,
    )
    codes = Commune.objects.filter(district=district).order_by("code").values_list("pk", flat=True)
    Commune.objects.filter(pk__in=list(codes)[::3]).update(bluzone_target_pct=40)


@pytest.mark.parametrize("communes", [4, BARS_MAX, PAGE_SIZE, 10_000])
def test_the_first_load_of_the_dashboard_stays_within_its_budget(
    district, district_staff, communes
):
    with_bluzone(district, communes)
    html = page.get_page(page.logged_in(district_staff), D)
    text = html.decode()
    assert ('id="bars-chart"' in text) is (communes <= BARS_MAX)
    assert ('id="bands-chart"' in text) is (communes > BARS_MAX)

    weight = page.weigh(html)
    assert [name for name, _size in weight.static_files] == [
        "vendor/bootstrap/bootstrap.min.css",
        "css/app.css",
        "css/dashboard.css",
        "js/app.js",
        "js/datepicker.js",
    ]
    assert weight.first_load <= FIRST_LOAD_MAX, (
        f"{communes} communes: {weight.first_load:,} bytes, of which the page {weight.gzip:,}"
    )


def test_the_commune_page_loads_no_more(district, district_staff):
    with_bluzone(district, 1)
    client = page.logged_in(district_staff)
    code = Commune.objects.get(district=district).code
    response = client.get(reverse("commune-detail", args=[code]), {"date": D.isoformat()})
    assert response.status_code == 200
    assert page.weigh(response.content).first_load <= FIRST_LOAD_MAX


def test_no_page_references_a_chart_library():
    assert finders.find("vendor/chartjs/chart.umd.min.js") is None
    assert finders.find("js/dashboard.js") is None
    root = Path(settings.BASE_DIR)
    sources = [*root.joinpath("templates").rglob("*.html"), *root.joinpath("static").rglob("*")]
    for path in sources:
        if path.is_file() and path.suffix in (".html", ".js", ".css", ".txt"):
            text = path.read_text(encoding="utf-8").lower()
            assert "chartjs" not in text and "chart.js" not in text, path
