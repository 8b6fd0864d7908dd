"""Pages of the dashboard: the district dashboard, its exports and the commune drill-down.

Each page reads a date D from `?date=` (today by default) and shows every figure as of D. The
dashboard's commune table also reads its order (`?sort=`), a search (`?q=`) and a page
(`?page=`); its totals and charts always cover every commune in scope.
"""

from __future__ import annotations

import datetime
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from bmp_comms.dates import parse_as_of
from bmp_comms.permissions import can_edit_commune_data, is_commune_user, is_district_user
from bmp_comms.web import page_as_of
from bulletins.selectors import last_published
from communes.models import Commune
from communes.names import parse_query
from dashboard import charts, exports
from dashboard.commune_detail import commune_detail as commune_detail_selector
from dashboard.figures import FIGURE_LABELS
from dashboard.selectors import (
    DEFAULT_SORT,
    MISSING_SHOWN,
    TABLE_COLUMNS,
    CommuneTable,
    commune_table,
    coverage_bands,
    dashboard_rows,
    deadline_cards,
    fill_deadline_status,
    parse_sort,
    sort_rows,
)
from dashboard.series import coverage_series
from dashboard.tasks import queue_fill_on_commit

# Headings of the table's columns that say more than their figure's label: the posting column
# shows posted of all deliveries as well as the percentage it sorts by.
HEADINGS = {"posting": gettext_lazy("Posting in 30 days")}
# The dashboard table's sortable columns: ?sort= key and heading.
COLUMNS = [
    ("name", gettext_lazy("Commune")),
    *((key, HEADINGS.get(key, FIGURE_LABELS[figure])) for key, figure in TABLE_COLUMNS.items()),
    ("flags", gettext_lazy("Data flags")),
]


def _table_url(as_of: datetime.date, sort: str, query: str = "", page: int | None = None) -> str:
    """A link to the dashboard's table as of D, in an order, searched, at a page; the search
    and the page are left out when there are none."""
    params = {"date": as_of.isoformat(), "sort": sort}
    if query:
        params["q"] = query
    if page is not None:
        params["page"] = page
    return "?" + urlencode(params)


def _columns(sort: str, as_of: datetime.date, query: str) -> list[dict]:
    """The headings: each sorts by its column (the other way once it is the order), keeping
    the date and the search, from the first page."""
    columns = []
    for key, label in COLUMNS:
        active = sort.removeprefix("-") == key
        next_sort = f"-{key}" if sort == key else key
        columns.append(
            {
                "key": key,
                "label": label,
                "url": _table_url(as_of, next_sort, query),
                "direction": ("descending" if sort.startswith("-") else "ascending")
                if active
                else None,
            }
        )
    return columns


def _pager(table: CommuneTable, as_of: datetime.date, sort: str) -> dict | None:
    """The links between the table's pages, keeping the date, the order and the search; None
    when the rows fit on one page."""
    page = table.page
    if not page.has_other_pages():
        return None

    def url(number: int) -> str:
        return _table_url(as_of, sort, table.query, number)

    return {
        "previous": url(page.previous_page_number()) if page.has_previous() else None,
        "next": url(page.next_page_number()) if page.has_next() else None,
        "links": [
            {"number": number, "url": url(number), "current": number == page.number}
            if number != page.paginator.ELLIPSIS
            else {"ellipsis": number}
            for number in page.paginator.get_elided_page_range(
                page.number, on_each_side=1, on_ends=1
            )
        ],
    }


def _bars(rows, as_of: datetime.date) -> dict:
    """The coverage chart with a bar per commune, by name, and its numbers."""
    by_name = sort_rows(rows, "name")
    return {"by_name": by_name, "bars_chart": charts.bars_chart(by_name, as_of=as_of)}


def _bands(rows, as_of: datetime.date) -> dict:
    """The coverage chart with a bar per coverage band, and its numbers."""
    bands = coverage_bands(rows)
    return {"bands": bands, "bands_chart": charts.bands_chart(bands, as_of=as_of)}


@login_required
@require_safe
def dashboard(request: HttpRequest) -> HttpResponse:
    """District staff and leaders; a commune's users are sent to their own commune's page."""
    if not is_district_user(request.user):
        if is_commune_user(request.user):
            url = reverse("commune-detail", kwargs={"code": request.user.profile.commune.code})
            query = request.GET.get("date")
            return redirect(f"{url}?{urlencode({'date': query})}" if query else url)
        raise PermissionDenied
    as_of, date_error = page_as_of(request)
    sort = parse_sort(request.GET.get("sort"))
    query = parse_query(request.GET.get("q"))
    # The table shows a page of the rows: their open deadlines are read for those alone, and
    # the panel names the missing communes it shows (a nation has ten thousand of each).
    board = dashboard_rows(
        user=request.user,
        as_of=as_of,
        queue_fill=queue_fill_on_commit,
        statuses=False,
        missing_first=MISSING_SHOWN,
    )
    table = commune_table(board.rows, sort=sort, query=query, page=request.GET.get("page"))
    fill_deadline_status(table.rows, as_of)
    series = coverage_series(
        communes=Commune.objects.for_user(request.user), end=as_of, end_figures=board.totals
    )
    context = {
        "as_of": as_of,
        "date_error": date_error,
        "board": board,
        "table": table,
        "rows": table.rows,
        "sort": sort,
        "default_sort": DEFAULT_SORT,
        "query": query,
        "columns": _columns(sort, as_of, query),
        # Each figure's heading by its key: the cells name their column (a card on a phone).
        "column_labels": dict(COLUMNS),
        # Read once: it looks at every commune in scope, and the table asks on every row.
        "shows_deadline_status": board.shows_deadline_status,
        "pager": _pager(table, as_of, sort),
        "clear_search_url": _table_url(as_of, sort),
        "deadline_cards": deadline_cards(board.deadlines),
        "series": series,
        "series_chart": charts.series_chart(series, target=board.totals.bluzone_target_pct),
        "series_target": board.totals.bluzone_target_pct,
        # The exports carry every commune, whatever the page or the search.
        "export_query": urlencode({"date": as_of.isoformat(), "sort": sort}),
    }
    # A bar per commune up to a district's thirty (charts.BARS_MAX); past that, how many
    # communes fall in each coverage band, so the page never carries a figure per commune
    # beyond its rows.
    context.update(
        _bars(board.rows, as_of) if charts.draws_bars(board.rows) else _bands(board.rows, as_of)
    )
    return render(request, "dashboard/dashboard.html", context)


@login_required
@require_safe
def dashboard_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The dashboard table as CSV or XLSX, in the user's scope, as of D."""
    if fmt not in exports.FORMATS:
        raise Http404
    if not (is_district_user(request.user) or is_commune_user(request.user)):
        raise PermissionDenied
    try:
        as_of = parse_as_of(request.GET.get("date"))
    except ValidationError as exc:
        return HttpResponse(exc.message_dict["date"][0], status=400, content_type="text/plain")
    board = dashboard_rows(
        user=request.user, as_of=as_of, panels=False, queue_fill=queue_fill_on_commit
    )
    board.rows = sort_rows(board.rows, parse_sort(request.GET.get("sort")))
    return exports.dashboard_response(board, fmt)


@login_required
@require_safe
def commune_detail(request: HttpRequest, code: str) -> HttpResponse:
    """District users and the commune's own users; any other commune is a 404."""
    commune = get_object_or_404(
        Commune.objects.for_user(request.user).select_related("district", "merged_into"),
        code=code,
    )
    as_of, date_error = page_as_of(request)
    detail = commune_detail_selector(commune=commune, as_of=as_of)
    series = coverage_series(
        communes=Commune.objects.for_user(request.user).filter(pk=commune.pk),
        end=as_of,
        end_figures=detail.figures,
    )
    context = {
        "commune": commune,
        "as_of": as_of,
        "date_error": date_error,
        "detail": detail,
        "figures": detail.figures,
        "series": series,
        "series_chart": charts.series_chart(series, target=detail.figures.bluzone_target_pct),
        "series_target": detail.figures.bluzone_target_pct,
        "can_edit": can_edit_commune_data(request.user, commune),
        "bulletins": last_published(commune=commune),
        # The communes it absorbed (docs/rules.md#mergers): one query, by the related manager.
        "absorbed": list(commune.absorbed.order_by("merged_on", "name")),
    }
    return render(request, "communes/commune_detail.html", context)
