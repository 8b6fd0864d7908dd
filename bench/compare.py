"""Read the dashboard's answers (selector and API) as floor figures, and compare them."""

from __future__ import annotations

from decimal import Decimal

from bench.floor import Figures
from bmp_comms.percent import percent


def selector_figures(result) -> dict[int, Figures]:
    """The rows of the Dashboard that `dashboard_rows` gives, by commune id."""
    return {row.id: _row_figures(row) for row in result.rows}


def _row_figures(row) -> Figures:
    return Figures(*(int(getattr(row, name)) for name in Figures._fields))


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


def api_differences(floor: dict[int, Figures], api: dict[int, dict]) -> list[str]:
    """The API gives counts and percentages: they must equal the floor's, rounded as
    DESIGN.md says (half-up, one decimal, null for a zero denominator)."""
    problems = []
    for pk in sorted(set(floor) | set(api)):
        figures, row = floor.get(pk), api.get(pk)
        if figures is None or row is None:
            where = "the API" if row is None else "the floor"
            problems.append(f"commune {pk}: missing from {where}")
            continue
        expected = {
            "villages_count": figures.villages_count,
            "villages_with_group": figures.villages_with_group,
            "coverage_pct": percent(figures.covered, figures.households),
            "bluzone_pct": percent(figures.installs, figures.smartphone_users),
        }
        got = {
            "villages_count": row.get("villages_count"),
            "villages_with_group": row.get("villages_with_group"),
            "coverage_pct": _pct(row.get("coverage_pct")),
            "bluzone_pct": _pct(row.get("bluzone_pct")),
        }
        if expected != got:
            problems.append(f"commune {pk}: floor {expected} ≠ API {got}")
    return problems
