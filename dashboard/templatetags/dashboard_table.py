"""The dashboard's commune table, its rows written in Python as the admin's change list writes
its cells (django.contrib.admin.templatetags.admin_list): a page of two hundred communes holds
some three thousand cells, and through the template engine, a node and a lookup at a time, they
took longer than the statement that computes their figures.

The lines are put together with f-strings rather than format_html, whose escaping of every
argument cost as much as the template did: every text (a commune's name and code, a deadline's
title or directive, a link, a label) is escaped here, one by one, with Django's escape; the
numbers are written by bmp_comms.numbers (the portal's one rule, with the language's formats
read once per table) and hold nothing but digits and the language's separators.
"""

from __future__ import annotations

import datetime
from urllib.parse import quote

from django import template
from django.urls import reverse
from django.utils.html import escape
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from bmp_comms.numbers import NumberWriter
from deadlines.statuses import ON_TIME, OVERDUE

register = template.Library()

WITHOUT_GROUP_LINK = '<a class="link-danger fw-semibold" href="{url}#without-group">{count}</a>'
# Stands for a commune's code in the one reverse() of a table: nothing in it to quote.
CODE_MARK = "__code__"
WARNING_BADGE = '<span class="badge text-bg-warning">{}</span>'
DEADLINE_LIST = '<ul class="list-unstyled mb-0 deadline-status">{}</ul>'
DEADLINE_ITEM = (
    '<li><a href="{}" class="link-body-emphasis">{}</a>: '
    '<span class="badge {}" data-status="{}">{}</span></li>'
)
STATUS_BADGES = {ON_TIME: "text-bg-success", OVERDUE: "text-bg-danger"}
OTHER_STATUS_BADGE = "text-bg-secondary"
NO_DEADLINE = "—"
# The posting proof of the 30 days to D: posted of all deliveries, the percentage under it (a
# badge under 80 %), and the bulletins approved as urgent by their author, when there are any.
POSTING_CELL = '{done}/{deliveries}<span class="small d-block">{pct}</span>'
NO_POSTING = "—"
POSTING_BELOW = '<span class="badge text-bg-danger">{}</span>'
URGENT_BADGE = (
    '<span class="badge text-bg-warning mt-1" data-urgent="{count}" title="{title}">{text}</span>'
)
# The figures the dashboard is read for (issue 18): first in a commune's card on a phone.
KEY_COLUMNS = frozenset({"without_group", "coverage", "bluzone"})
COVERAGE_ROW = (
    '<tr><th scope="row">{}</th><td class="text-end">{}</td><td class="text-end">{}</td></tr>'
)


class CommunePages:
    """Links to communes' pages as of D, for a list of them: reverse() once, not once a link."""

    def __init__(self, as_of: datetime.date) -> None:
        self.query = f"?date={as_of.isoformat()}"
        self.before_code, _mark, self.after_code = reverse(
            "commune-detail", kwargs={"code": CODE_MARK}
        ).rpartition(CODE_MARK)

    def url(self, code: str) -> str:
        """The commune's page as of D as reverse() writes it (its code quoted the same way),
        escaped for an attribute."""
        quoted = quote(code, safe=RFC3986_SUBDELIMS + "/~:@")
        return escape(f"{self.before_code}{quoted}{self.after_code}{self.query}")


@register.simple_tag
def commune_links(communes, as_of: datetime.date) -> SafeString:
    """An inline list's items: each of `communes` (with its code and name) linking to its
    page as of D."""
    url = CommunePages(as_of).url
    return mark_safe(
        "".join(
            f'<li class="list-inline-item"><a href="{url(commune.code)}" '
            f'data-code="{escape(commune.code)}">{escape(commune.name)}</a></li>'
            for commune in communes
        )
    )


@register.simple_tag
def commune_rows(
    rows, as_of: datetime.date, shows_deadline_status: bool, labels: dict
) -> SafeString:
    """The table's body: a line per row of `rows` (dashboard.selectors.CommuneRow) as
    of D, each linking to its commune's page as of D, with the open-deadline cell when the
    table shows that column. `labels` names each column (its key → its heading)."""
    writer = _RowWriter(as_of, shows_deadline_status=shows_deadline_status, labels=labels)
    return mark_safe("".join(writer.row(row) for row in rows))


class _RowWriter:
    """Writes the lines of one table: what every line shares is read once."""

    def __init__(self, as_of: datetime.date, *, shows_deadline_status: bool, labels: dict) -> None:
        self.numbers = NumberWriter()
        self.commune_url = CommunePages(as_of).url
        self.target_word = escape(gettext("Target"))
        self.urgent_title = escape(
            gettext("Bulletins approved as urgent by their author in 30 days")
        )
        self.urgent_word = escape(gettext("urgent"))
        self.deadline_label = escape(gettext("Open deadline"))
        self.shows_deadline_status = shows_deadline_status
        self.deadline_items: dict[object, str] = {}
        # Each figure's opening tag, its heading in `data-label`: on a phone a row is a card
        # that names each figure (app.css, .table-stack), the key figures first.
        self.cell = {
            key: f'<td class="text-end{" stack-key" if key in KEY_COLUMNS else ""}" '
            f'data-label="{escape(label)}" data-col="{key}">'
            for key, label in labels.items()
        }

    def row(self, row) -> str:
        count = self.numbers.number
        percent = self.numbers.percent
        url = self.commune_url(row.code)
        without_group = row.villages_without_group
        if without_group:
            without_group = WITHOUT_GROUP_LINK.format(url=url, count=count(without_group))
        target = count(row.bluzone_target_pct)
        bulletins = row.bulletins_7d
        bulletins = count(bulletins) if bulletins else WARNING_BADGE.format(0)
        flags = row.flags.total
        flags = WARNING_BADGE.format(count(flags)) if flags else "0"
        deadlines = (
            f'<td class="stack-wide" data-label="{self.deadline_label}" '
            f'data-col="deadline_status">{self.deadline_list(row.deadline_status)}</td>'
            if self.shows_deadline_status
            else ""
        )
        cell = self.cell
        return (
            f'<tr data-code="{escape(row.code)}"><th scope="row" class="stack-title">'
            f'<a href="{url}">{escape(row.name)}</a></th>'
            f"{cell['villages']}{count(row.villages_count)}</td>"
            f"{cell['with_group']}{count(row.villages_with_group)}</td>"
            f"{cell['without_group']}{without_group}</td>"
            f"{cell['coverage']}{percent(row.coverage_pct)}</td>"
            f'{cell["bluzone"]}<span class="badge text-bg-{row.bluzone_level}" '
            f'title="{self.target_word} {target} %">'
            f"{percent(row.bluzone_pct)}</span>"
            f'<span class="small text-body-secondary d-block">/ {target} %</span></td>'
            f"{cell['untrained']}{count(row.untrained_admins)}</td>"
            f"{cell['stale']}{count(row.stale_groups)}</td>"
            f"{cell['bulletins']}{bulletins}</td>"
            f"{cell['posting']}{self.posting(row)}</td>"
            f"{cell['flags']}{flags}</td>"
            f"{deadlines}</tr>"
        )

    def posting(self, row) -> str:
        count = self.numbers.number
        if row.deliveries_30d:
            pct = self.numbers.percent(row.posting_pct)
            if row.posting_below_target:
                pct = POSTING_BELOW.format(pct)
            cell = POSTING_CELL.format(
                done=count(row.deliveries_done_30d), deliveries=count(row.deliveries_30d), pct=pct
            )
        else:
            cell = NO_POSTING
        urgent = row.urgent_30d
        if urgent:
            cell += URGENT_BADGE.format(
                count=urgent, title=self.urgent_title, text=f"{count(urgent)} {self.urgent_word}"
            )
        return cell

    def deadline_list(self, statuses) -> str:
        if not statuses:
            return NO_DEADLINE
        return DEADLINE_LIST.format("".join(self.deadline_item(status) for status in statuses))

    def deadline_item(self, status) -> str:
        # Communes share their statuses (a deadline's open status is one value for every
        # commune that has not reported): each is written once per table.
        item = self.deadline_items.get(status)
        if item is None:
            item = self.deadline_items[status] = DEADLINE_ITEM.format(
                escape(status.url),
                escape(status.directive or status.title),
                STATUS_BADGES.get(status.status, OTHER_STATUS_BADGE),
                status.status,
                escape(status.label),
            )
        return item


@register.simple_tag
def coverage_rows(rows) -> SafeString:
    """The numbers behind the coverage chart: a line per commune with its coverage and
    Bluzone percentages."""
    percent = NumberWriter().percent
    return mark_safe(
        "".join(
            COVERAGE_ROW.format(
                escape(row.name), percent(row.coverage_pct), percent(row.bluzone_pct)
            )
            for row in rows
        )
    )
