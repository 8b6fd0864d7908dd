"""The report's text, written from its figures: where the district stands, the communes that lag
and by how much, what is overdue, what changed since the previous report of the archive, and the
inspections with their follow-ups. Every number is one of the dashboard's figures
(reports.content), formatted the Vietnamese way; none is computed here.

Called under the language the report is written in (Vietnamese: reports.jobs).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dashboard.selectors import sort_rows
from dashboard.sql import STALE_AFTER_DAYS
from deadlines.schedule import when_text
from reports.content import LATE, MISSING, NOT_DUE, ON_TIME, ReportContent
from reports.formatting import vn_date, vn_int, vn_pct, vn_points

# How many communes a sentence names before it says "and N more".
NAMES_SHOWN = 10
LAGGING_SHOWN = 5


@dataclass(frozen=True)
class Narrative:
    overview: list[str]
    lagging: list[str]
    deadlines: list[str]
    changes: list[str]
    inspections: list[str]


def names(items: list[str], limit: int = NAMES_SHOWN) -> str:
    if len(items) <= limit:
        return ", ".join(items)
    return _("%(names)s and %(count)s more") % {
        "names": ", ".join(items[:limit]),
        "count": vn_int(len(items) - limit),
    }


def overview(content: ReportContent) -> list[str]:
    totals = content.totals
    values = {
        "date": vn_date(content.as_of),
        "villages": vn_int(totals.villages_count),
        "with_group": vn_int(totals.villages_with_group),
        "without": vn_int(totals.villages_without_group),
        "covered": vn_int(totals.covered),
        "households": vn_int(totals.households),
        "coverage": vn_pct(totals.coverage_pct),
        "bluzone": vn_pct(totals.bluzone_pct),
        "installs": vn_int(totals.installs),
        "users": vn_int(totals.smartphone_users),
        "target": vn_pct(totals.bluzone_target_pct),
        "gap": vn_points(totals.bluzone_gap_pct),
        "untrained": vn_int(totals.untrained_admins),
        "stale": vn_int(totals.stale_groups),
        "days": STALE_AFTER_DAYS,
    }
    lines = []
    if not totals.villages_count:
        lines.append(_("As of %(date)s, no village is recorded yet.") % values)
    elif not totals.villages_without_group:
        lines.append(_("As of %(date)s, all %(villages)s villages have a news group.") % values)
    else:
        lines.append(
            ngettext(
                "As of %(date)s, %(with_group)s of the %(villages)s villages have a news group; "
                "%(without)s village has none yet.",
                "As of %(date)s, %(with_group)s of the %(villages)s villages have a news group; "
                "%(without)s villages have none yet.",
                totals.villages_without_group,
            )
            % values
        )
    if totals.coverage_pct is None:
        lines.append(_("No village has its households recorded, so there is no coverage yet."))
    else:
        lines.append(
            _(
                "The groups reach %(covered)s of %(households)s households, a coverage of "
                "%(coverage)s."
            )
            % values
        )
    if totals.bluzone_pct is None:
        lines.append(
            _("No village has its smartphone users recorded, so there is no Bluzone rate.")
        )
    elif totals.bluzone_gap_pct <= 0:
        lines.append(
            _(
                "Bluzone is installed by %(bluzone)s of smartphone users (%(installs)s of "
                "%(users)s): the target of %(target)s is met."
            )
            % values
        )
    else:
        lines.append(
            _(
                "Bluzone is installed by %(bluzone)s of smartphone users (%(installs)s of "
                "%(users)s), against a target of %(target)s: %(gap)s short."
            )
            % values
        )
    if totals.untrained_admins:
        lines.append(
            ngettext(
                "%(untrained)s group admin is not trained yet.",
                "%(untrained)s group admins are not trained yet.",
                totals.untrained_admins,
            )
            % values
        )
    if totals.stale_groups:
        lines.append(
            ngettext(
                "%(stale)s group has had no member count for %(days)s days.",
                "%(stale)s groups have had no member count for %(days)s days.",
                totals.stale_groups,
            )
            % values
        )
    if not (totals.untrained_admins or totals.stale_groups):
        lines.append(_("Every group admin is trained and every group's member count is recent."))
    lines.append(posting(content))
    return lines


def posting(content: ReportContent) -> str:
    """The posting proof of the 30 days to D (docs/rules.md#posting-proof): the scope's
    percentage and, in a district report, the communes under 80 %."""
    totals = content.totals
    values = {
        "date": vn_date(content.as_of),
        "done": vn_int(totals.deliveries_done_30d),
        "deliveries": vn_int(totals.deliveries_30d),
        "posting": vn_pct(totals.posting_pct),
        "bulletins": vn_int(totals.bulletins_30d),
        "under": vn_int(content.board.communes_posting_under_80),
    }
    if not totals.deliveries_30d:
        return (
            _("No bulletin was delivered to a group in the 30 days to %(date)s, so there is no "
              "posting proof yet.")
            % values
        )  # fmt: skip
    text = (
        ngettext(
            "In the 30 days to %(date)s, %(done)s of the %(deliveries)s deliveries of the "
            "bulletin published were posted with proof (sent by a channel, or confirmed with a "
            "link or a picture): %(posting)s.",
            "In the 30 days to %(date)s, %(done)s of the %(deliveries)s deliveries of the "
            "%(bulletins)s bulletins published were posted with proof (sent by a channel, or "
            "confirmed with a link or a picture): %(posting)s.",
            totals.bulletins_30d,
        )
        % values
    )
    if content.is_one_commune:
        return text
    under = content.board.communes_posting_under_80
    if not under:
        return text + " " + _("No commune is under 80 %% of its deliveries posted.") % values
    return (
        text
        + " "
        + ngettext(
            "%(under)s commune is under 80 %% of its deliveries posted.",
            "%(under)s communes are under 80 %% of their deliveries posted.",
            under,
        )
        % values
    )


def lagging(content: ReportContent) -> list[str]:
    """The communes that lag and by how much (a district report), or the villages still without
    a group (a one-commune report)."""
    if content.is_one_commune:
        without = [line.village.name for line in content.villages if not line.village.has_group]
        if not without:
            return [_("Every village of the commune has a news group.")]
        return [_("Villages without a news group: %(villages)s.") % {"villages": names(without)}]
    district = content.totals.coverage_pct
    lines = []
    below = [
        row
        for row in sort_rows(content.rows, "coverage")
        if row.coverage_pct is not None and district is not None and row.coverage_pct < district
    ]
    if below:
        shown = [
            ngettext(
                "%(commune)s (%(coverage)s, %(without)s village without a group)",
                "%(commune)s (%(coverage)s, %(without)s villages without a group)",
                row.villages_without_group,
            )
            % {
                "commune": row.name,
                "coverage": vn_pct(row.coverage_pct),
                "without": vn_int(row.villages_without_group),
            }
            for row in below[:LAGGING_SHOWN]
        ]
        lines.append(
            ngettext(
                "%(count)s commune is below the overall coverage of %(coverage)s; the lowest: "
                "%(communes)s.",
                "%(count)s communes are below the overall coverage of %(coverage)s; the lowest: "
                "%(communes)s.",
                len(below),
            )
            % {
                "count": vn_int(len(below)),
                "coverage": vn_pct(district),
                "communes": "; ".join(shown),
            }
        )
    short = [
        row
        for row in sort_rows(content.rows, "-bluzone_gap")
        if row.bluzone_gap_pct is not None and row.bluzone_gap_pct > 0
    ]
    if short:
        shown = [
            _("%(commune)s (%(bluzone)s, %(gap)s below its target of %(target)s)")
            % {
                "commune": row.name,
                "bluzone": vn_pct(row.bluzone_pct),
                "gap": vn_points(row.bluzone_gap_pct),
                "target": vn_pct(row.bluzone_target_pct),
            }
            for row in short[:LAGGING_SHOWN]
        ]
        lines.append(
            ngettext(
                "%(count)s commune has not reached its Bluzone target; the furthest from it: "
                "%(communes)s.",
                "%(count)s communes have not reached their Bluzone target; the furthest from it: "
                "%(communes)s.",
                len(short),
            )
            % {"count": vn_int(len(short)), "communes": "; ".join(shown)}
        )
    if not lines:
        lines.append(_("No commune lags behind the overall coverage or its Bluzone target."))
    return lines


def deadline_name(line) -> str:
    return f"{line.title} ({line.directive})" if line.directive else line.title


def deadlines(content: ReportContent) -> list[str]:
    if not content.deadlines:
        return [_("No report was due in the period and none is open.")]
    lines = []
    for line in content.deadlines:
        values = {
            "deadline": deadline_name(line),
            "due": vn_date(line.due_date),
            "submitted": vn_int(line.submitted),
            "expected": vn_int(line.expected),
            "on_time": vn_int(line.on_time),
            "rate": vn_pct(line.reporting_rate),
            "timeliness": vn_pct(line.timeliness),
            "missing": names([commune.name for commune in line.missing_communes]),
            "when": when_text((line.due_date - content.as_of).days),
        }
        if line.due_date < content.as_of:
            text = (
                ngettext(
                    "%(deadline)s, due %(due)s: %(submitted)s of %(expected)s commune reported "
                    "(%(rate)s), %(on_time)s on time (%(timeliness)s).",
                    "%(deadline)s, due %(due)s: %(submitted)s of %(expected)s communes reported "
                    "(%(rate)s), %(on_time)s on time (%(timeliness)s).",
                    line.expected,
                )
                % values
            )
            if line.missing_communes:
                text += " " + _("Overdue (%(when)s), not reported yet: %(missing)s.") % values
        else:
            text = (
                ngettext(
                    "%(deadline)s, due %(due)s (%(when)s): %(submitted)s of %(expected)s commune "
                    "has reported.",
                    "%(deadline)s, due %(due)s (%(when)s): %(submitted)s of %(expected)s communes "
                    "have reported.",
                    line.expected,
                )
                % values
            )
            if line.missing_communes:
                text += " " + _("Still to report: %(missing)s.") % values
        lines.append(text)
    return lines


def _change(what: str, old, new, shown) -> str:
    values = {"what": what, "old": shown(old), "new": shown(new)}
    if old == new:
        return _("%(what)s unchanged at %(new)s") % values
    if old is None or new is None:
        return _("%(what)s from %(old)s to %(new)s") % values
    if new > old:
        return _("%(what)s rose from %(old)s to %(new)s") % values
    return _("%(what)s fell from %(old)s to %(new)s") % values


def changes(content: ReportContent) -> list[str]:
    if content.previous is None:
        return [_("There is no earlier report of this kind in the archive to compare with.")]
    old, new = content.previous.totals, content.totals
    items = [
        _change(_("villages with a news group"), old.villages_with_group,
                new.villages_with_group, vn_int),
        _change(_("coverage"), old.coverage_pct, new.coverage_pct, vn_pct),
        _change(_("the Bluzone rate"), old.bluzone_pct, new.bluzone_pct, vn_pct),
        _change(_("untrained admins"), old.untrained_admins, new.untrained_admins, vn_int),
        _change(_("stale groups"), old.stale_groups, new.stale_groups, vn_int),
        _change(_("posting proof"), old.posting_pct, new.posting_pct, vn_pct),
    ]  # fmt: skip
    earlier = content.previous.report
    return [
        _("Since report %(number)s (figures as of %(date)s): %(changes)s.")
        % {"number": earlier.number, "date": vn_date(earlier.as_of), "changes": "; ".join(items)}
    ]


def inspections(content: ReportContent) -> list[str]:
    if not content.inspections:
        return [_("No inspection was recorded in the period.")]
    in_period = [
        line for line in content.inspections if line.inspection.date >= content.period_start
    ]
    lines = [
        ngettext(
            "%(count)s inspection was made in the 30 days to %(date)s.",
            "%(count)s inspections were made in the 30 days to %(date)s.",
            len(in_period),
        )
        % {"count": vn_int(len(in_period)), "date": vn_date(content.as_of)}
    ]
    by_state: dict[str, list[str]] = {}
    for line in content.inspections:
        if line.follow_up_state is not None:
            label = f"{line.inspection.commune.name} ({vn_date(line.inspection.follow_up_due)})"
            by_state.setdefault(line.follow_up_state, []).append(label)
    sentences = {
        MISSING: _("Follow-ups overdue, not reported: %(communes)s."),
        LATE: _("Follow-ups reported late: %(communes)s."),
        ON_TIME: _("Follow-ups reported on time: %(communes)s."),
        NOT_DUE: _("Follow-ups still to come: %(communes)s."),
    }
    for state, sentence in sentences.items():
        if by_state.get(state):
            lines.append(sentence % {"communes": names(by_state[state])})
    return lines


def narrative(content: ReportContent) -> Narrative:
    return Narrative(
        overview=overview(content),
        lagging=lagging(content),
        deadlines=deadlines(content),
        changes=changes(content),
        inspections=inspections(content),
    )
