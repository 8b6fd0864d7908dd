"""Read the dashboard's answers (selector, API, series) as the floor's, and compare them."""

from __future__ import annotations

import datetime
from decimal import Decimal

from bench.floor import Figures, Floor, OpenDeadline, PanelDeadline
from bench.series_floor import SeriesSums
from bmp_comms.percent import percent

FLAG_FIELDS = (
    "members_above_residents",
    "count_fell_by_half",
    "active_group_without_count",
    "village_without_households",
)


def selector_figures(result) -> dict[int, Figures]:
    """The rows of the Dashboard that `dashboard_rows` gives, by commune id."""
    return {row.id: _row_figures(row) for row in result.rows}


def _row_figures(row) -> Figures:
    return Figures(*(int(getattr(row, name)) for name in Figures._fields))


def selector_deadline_status(result) -> dict[int, list[OpenDeadline]]:
    """Each row's `deadline_status` of the Dashboard; rows without one are absent."""
    return {
        row.id: [OpenDeadline(s.deadline_id, s.status, s.days) for s in row.deadline_status]
        for row in result.rows
        if row.deadline_status
    }


def selector_deadline_panel(result) -> list[PanelDeadline]:
    """The Dashboard's deadline panel, in its order."""
    return [
        PanelDeadline(
            line.id,
            line.expected,
            line.submitted,
            line.on_time,
            tuple(commune.id for commune in line.missing_communes),
        )
        for line in result.deadlines
    ]


def _pct(value) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def api_rows(payload: dict) -> dict[int, dict]:
    return {row["id"]: row for row in payload.get("communes", [])}


def differences(floor: dict[int, Figures], selector: dict[int, Figures]) -> list[str]:
    problems = []
    for pk in sorted(set(floor) | set(selector)):
        if floor.get(pk) != selector.get(pk):
            problems.append(f"commune {pk}: floor {floor.get(pk)} ≠ selector {selector.get(pk)}")
    return problems


def deadline_differences(
    floor: dict[int, list[OpenDeadline]],
    other: dict[int, list[OpenDeadline]],
    name: str = "selector",
) -> list[str]:
    """Each commune's open deadlines, in order, with their status and days."""
    problems = []
    for pk in sorted(set(floor) | set(other)):
        if floor.get(pk) != other.get(pk):
            problems.append(
                f"commune {pk} deadlines: floor {floor.get(pk)} ≠ {name} {other.get(pk)}"
            )
    return problems


def panel_differences(
    floor: list[PanelDeadline], other: list[PanelDeadline], name: str = "selector"
) -> list[str]:
    """The deadline panel: the same deadlines in the same order, with the same figures and the
    same missing communes, by name."""
    if [line.id for line in floor] != [line.id for line in other]:
        return [
            f"deadline panel: floor {[line.id for line in floor]} ≠ "
            f"{name} {[line.id for line in other]}"
        ]
    return [
        f"deadline {mine.id}: floor {mine} ≠ {name} {theirs}"
        for mine, theirs in zip(floor, other, strict=True)
        if mine != theirs
    ]


def board_differences(floor: Floor, board) -> list[str]:
    """Everything the floor computes against the Dashboard of `dashboard_rows`."""
    return (
        differences(floor.figures, selector_figures(board))
        + deadline_differences(floor.deadline_status, selector_deadline_status(board))
        + panel_differences(floor.deadline_panel, selector_deadline_panel(board))
    )


def _api_figures(row: dict) -> Figures:
    flags = row.get("flags") or {}
    return Figures(
        *(flags.get(name) if name in FLAG_FIELDS else row.get(name) for name in Figures._fields)
    )


def api_differences(floor: dict[int, Figures], api: dict[int, dict]) -> list[str]:
    """The API gives counts and percentages: they must equal the floor's, rounded as
    docs/rules.md#percentages says (half-up, one decimal, null for a zero denominator)."""
    problems = []
    for pk in sorted(set(floor) | set(api)):
        figures, row = floor.get(pk), api.get(pk)
        if figures is None or row is None:
            where = "the API" if row is None else "the floor"
            problems.append(f"commune {pk}: missing from {where}")
            continue
        expected = {
            **figures._asdict(),
            "coverage_pct": percent(figures.covered, figures.households),
            "bluzone_pct": percent(figures.installs, figures.smartphone_users),
            "flags_total": figures.flags_total,
        }
        got = {
            **_api_figures(row)._asdict(),
            "coverage_pct": _pct(row.get("coverage_pct")),
            "bluzone_pct": _pct(row.get("bluzone_pct")),
            "flags_total": (row.get("flags") or {}).get("total"),
        }
        if expected != got:
            wrong = sorted(key for key in expected if expected[key] != got[key])
            shown = {key: (expected[key], got[key]) for key in wrong}
            problems.append(f"commune {pk}: (floor, API) differ on {shown}")
    return problems


def api_deadline_status(payload: dict) -> dict[int, list[OpenDeadline]]:
    return {
        row["id"]: [
            OpenDeadline(item["deadline"], item["status"], item["days"])
            for item in row["deadline_status"]
        ]
        for row in payload.get("communes", [])
        if row.get("deadline_status")
    }


def api_deadline_panel(payload: dict) -> list[PanelDeadline]:
    return [
        PanelDeadline(
            item["id"],
            item["expected"],
            item["submitted"],
            item["on_time"],
            tuple(commune["id"] for commune in item["missing_communes"]),
        )
        for item in payload.get("deadlines", [])
    ]


def _api_rates(payload: dict) -> list[str]:
    """The panel's percentages, which the API gives beside the counts."""
    problems = []
    for item in payload.get("deadlines", []):
        expected = (
            percent(item["submitted"], item["expected"]),
            percent(item["on_time"], item["expected"]),
        )
        got = (_pct(item.get("reporting_rate")), _pct(item.get("timeliness")))
        if expected != got:
            problems.append(f"deadline {item['id']}: rates {got} ≠ {expected}")
    return problems


def api_board_differences(floor: Floor, payload: dict) -> list[str]:
    """Everything the floor computes against the API's answer."""
    return (
        api_differences(floor.figures, api_rows(payload))
        + deadline_differences(floor.deadline_status, api_deadline_status(payload), "API")
        + panel_differences(floor.deadline_panel, api_deadline_panel(payload), "API")
        + _api_rates(payload)
    )


def series_differences(
    floor: list[SeriesSums], dates: list[datetime.date], series: list
) -> list[str]:
    """The chart's points (dashboard.series.SeriesPoint) against the series floor's sums
    at the same dates: the same dates, the same percentages."""
    if len(series) != len(dates) or len(floor) != len(dates):
        return [f"series: {len(series)} points and {len(floor)} floor sums for {len(dates)} dates"]
    problems = []
    for day, sums, point in zip(dates, floor, series, strict=True):
        expected = (
            day,
            percent(sums.covered, sums.households),
            percent(sums.installs, sums.smartphone_users),
        )
        got = (point.date, point.coverage_pct, point.bluzone_pct)
        if expected != got:
            problems.append(f"series at {day:%d/%m/%Y}: floor {expected} ≠ coverage_series {got}")
    return problems
