"""The dashboard's "open deadline" column, filled through the dashboard's row extensions."""

from __future__ import annotations

import datetime

from reports.selectors import deadline_status_by_commune


def fill_deadline_status(rows: list, as_of: datetime.date) -> None:
    """Each row's `deadline_status`: its open deadlines as short text ("606/UBND-VX: 2 days
    overdue"), None when it has none; one query for all rows."""
    statuses = deadline_status_by_commune([row.id for row in rows], as_of)
    for row in rows:
        found = statuses.get(row.id)
        row.deadline_status = (
            "; ".join(f"{status.directive or status.title}: {status.label}" for status in found)
            if found
            else None
        )
