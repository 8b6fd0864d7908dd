"""The compliance report as a PDF in the official layout (Nghị định 30/2020/NĐ-CP, Phụ lục I):
WeasyPrint from templates/compliance/report.html, Liberation Serif 2 from static/fonts embedded
through @font-face with file URLs, so every machine prints the same glyphs; nothing else is
fetched. Charts are SVG drawn by reports.charts."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any, BinaryIO

from django.contrib.staticfiles import finders
from django.core.exceptions import ImproperlyConfigured
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from communes.wording import commune_title, top_unit_title
from dashboard.selectors import sort_rows
from reports import charts
from reports.content import STATE_LABELS, Column, ReportContent, chart_rows
from reports.formatting import NOTHING, place_and_date, vn_date, vn_decimal, vn_int
from reports.narrative import Narrative, deadline_name, narrative

# Above this many communes a PDF would run to hundreds of pages that nobody prints; the XLSX
# holds the same tables. 500 communes stay well within the bounds measured by `make bench`
# (100 communes: see the README), the largest province of 2025 has fewer than 200.
PDF_MAX_COMMUNES = 500
# WeasyPrint (and Pango under it) is loaded where a PDF is written only, so that pages and the
# API start without it. It tells its every step at INFO from the moment it is imported; a
# worker's log needs its warnings only.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

# The bar chart draws every commune up to this many, else the ones with the lowest coverage.
BARS_MAX = 30

FONT_FILES = (
    ("normal", "normal", "LiberationSerif-Regular.ttf"),
    ("bold", "normal", "LiberationSerif-Bold.ttf"),
    ("normal", "italic", "LiberationSerif-Italic.ttf"),
    ("bold", "italic", "LiberationSerif-BoldItalic.ttf"),
)


def font_faces() -> list[dict[str, str]]:
    """The @font-face entries: each font file of static/fonts as a file URL."""
    faces = []
    for weight, style, name in FONT_FILES:
        found = finders.find(f"fonts/{name}")
        if not found:
            raise ImproperlyConfigured(f"static/fonts/{name} is missing: the report needs it")
        faces.append({"weight": weight, "style": style, "url": Path(found).resolve().as_uri()})
    return faces


def fonts_only(allowed: set[str]):
    """A URL fetcher that gives the report's own font files and nothing else: no network, no
    other file, whatever a commune's name or a letterhead holds."""
    from weasyprint.urls import URLFetcher

    class FontsOnly(URLFetcher):
        def fetch(self, url, headers=None):
            if url not in allowed:
                raise ValueError(f"the report fetches its fonts only, not {url}")
            return super().fetch(url, headers)

    return FontsOnly(allowed_protocols=["file"], allow_redirects=False)


def _text(value: Any, kind: str) -> str:
    if value is None:
        return NOTHING
    if kind == "count":
        return vn_int(value)
    if kind == "percent":
        return vn_decimal(value)
    return str(value)


def table(
    columns: tuple[Column, ...], items, *, total=None, caption: str = "", id: str = ""
) -> dict:
    return {
        "id": id,
        "caption": caption,
        "columns": columns,
        "rows": [
            [
                {"text": _text(column.value(item), column.kind), "kind": column.kind}
                for column in columns
            ]
            for item in items
        ],
        "total": [
            {
                "text": _("Total")
                if column.name == "name"
                else _text(column.value(total), column.kind),
                "kind": column.kind,
            }
            for column in columns
        ]
        if total is not None
        else None,
    }


def _scope_name(content: ReportContent) -> str:
    if content.commune is not None:
        return commune_title(content.commune)
    parent = content.letterhead.parent_body.strip()
    # "UBND huyện Bù Gia Mập" speaks for "huyện Bù Gia Mập", "UBND tỉnh Đồng Nai" for "tỉnh
    # Đồng Nai".
    for prefix in ("UBND ", "Ủy ban nhân dân ", "Uỷ ban nhân dân "):
        if parent.casefold().startswith(prefix.casefold()) and len(parent) > len(prefix):
            return parent[len(prefix) :]
    return top_unit_title(content.district)


def _chart_labels() -> dict[str, str]:
    return {"coverage": _("Coverage %"), "bluzone": _("Bluzone %"), "target": _("Bluzone target %")}


def context(content: ReportContent, story: Narrative) -> dict:
    letterhead, report = content.letterhead, content.report
    as_of = vn_date(content.as_of)
    scope = _scope_name(content)
    rows = sort_rows(content.rows, "name")
    commune_caption = _("Figures of each commune as of %(date)s") % {"date": as_of}
    if content.is_one_commune:
        tables = [
            table(
                content.columns,
                rows,
                caption=_("Figures of the commune as of %(date)s") % {"date": as_of},
                id="commune-table",
            ),
            table(
                content.village_columns,
                content.villages,
                caption=_("Villages of the commune"),
                id="village-table",
            ),
        ]
        heading = _("Results by village")
    else:
        tables = [
            table(
                content.columns,
                rows,
                total=content.totals,
                caption=commune_caption,
                id="commune-table",
            )
        ]
        heading = _("Results by commune")
    bars = None
    if not content.is_one_commune and len(rows) > 1:
        drawn = chart_rows(content, BARS_MAX)
        bars_caption = (
            _("Coverage and Bluzone by commune, as of %(date)s")
            if len(drawn) == len(rows)
            else _("The %(count)s communes with the lowest coverage, as of %(date)s")
        ) % {"date": as_of, "count": len(drawn)}
        bars = charts.commune_bars(drawn, labels=_chart_labels(), title=bars_caption)
    else:
        bars_caption = ""
    series = None
    series_caption = _("Coverage and Bluzone week by week, to %(date)s") % {"date": as_of}
    if content.series:
        series = charts.series_lines(
            content.series,
            target=content.totals.bluzone_target_pct,
            labels=_chart_labels(),
            title=series_caption,
        )
    deadline_table = [
        {
            "id": line.id,
            "name": deadline_name(line),
            "short": line.directive or line.title[:40],
            "due": vn_date(line.due_date),
            "expected": vn_int(line.expected),
            "submitted": vn_int(line.submitted),
            "on_time": vn_int(line.on_time),
            "rate": vn_decimal(line.reporting_rate),
            "timeliness": vn_decimal(line.timeliness),
        }
        for line in content.deadlines
    ]
    state_rows = [
        {
            "name": row.name,
            "states": [
                str(STATE_LABELS[state]) if (state := content.state(line.id, row.id)) else NOTHING
                for line in content.deadlines
            ],
        }
        for row in rows
    ]
    inspection_rows = [
        {
            "date": vn_date(line.inspection.date),
            "commune": line.inspection.commune.name,
            "inspector": line.inspection.inspector,
            "findings": line.inspection.findings,
            "follow_up_due": vn_date(line.inspection.follow_up_due),
            "follow_up": line.follow_up_label or NOTHING,
        }
        for line in content.inspections
    ]
    issuer = letterhead.issuing_body
    if content.commune is not None:
        subject = _(
            "Results of the village news groups and the Bluzone installs in %(commune)s"
        ) % {"commune": commune_title(content.commune)}
    else:
        subject = _("Results of the village news groups and the Bluzone installs")
    return {
        "title": f"{_('REPORT')} {report.number}: {subject}",
        "letterhead": letterhead,
        "number": report.number,
        "issued_on": report.issued_on,
        "place_date": place_and_date(letterhead.place_name, report.issued_on),
        "subject": subject,
        "subject_as_of": _("(figures as of %(date)s)") % {"date": as_of},
        "intro": _(
            "%(issuer)s reports on the news groups of the villages and the Bluzone installs in "
            "%(scope)s, with figures as of %(date)s, as follows:"
        )
        % {"issuer": issuer, "scope": scope, "date": as_of},
        "headings": {
            "overview": _("Overview"),
            "table": heading,
            "deadlines": _("Reports due"),
            "inspections": _("Inspections and follow-ups"),
            "changes": _("Changes since the previous report"),
        },
        "narrative": story,
        "captions": {
            "deadlines": _("Reports due and their figures as of %(date)s") % {"date": as_of},
            "inspections": _("Inspections and follow-ups of the 30 days to %(date)s")
            % {"date": as_of},
        },
        "tables": tables,
        "bars_chart": bars,
        "bars_caption": bars_caption,
        "series_chart": series,
        "series_caption": series_caption,
        "deadline_table": deadline_table,
        "state_rows": state_rows if deadline_table else [],
        "inspection_rows": inspection_rows,
        "closing": _(
            "This is the report of %(issuer)s on the village news groups and the Bluzone "
            "installs as of %(date)s./."
        )
        % {"issuer": issuer, "date": as_of},
    }


def render_html(content: ReportContent) -> tuple[str, list[dict[str, str]]]:
    fonts = font_faces()
    css = render_to_string("reports/report.css", {"fonts": fonts})
    html = render_to_string(
        "reports/report.html", {**context(content, narrative(content)), "css": css}
    )
    return html, fonts


def write_pdf(
    content: ReportContent, target: BinaryIO, step: Callable[[int], None] = lambda progress: None
) -> int:
    """Write the report to `target`; returns its number of pages. `step` hears 0–100 of this
    part as the work goes: HTML written, pages laid out, PDF written."""
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    html, fonts = render_html(content)
    step(20)
    font_config = FontConfiguration()
    fetcher = fonts_only({face["url"] for face in fonts})
    document = HTML(string=html, url_fetcher=fetcher).render(font_config=font_config)
    step(80)
    document.write_pdf(target)
    step(100)
    return len(document.pages)
