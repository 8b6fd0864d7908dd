"""Reads of the communes area; figures exactly as DESIGN.md defines them, computed in SQL."""

from communes.selectors.commune_detail import CommuneDetail, GroupLine, VillageLine, commune_detail
from communes.selectors.coverage import (
    EMPTY_FIGURES,
    CommuneFigures,
    active_group_established_by,
    commune_figures,
    latest_installs_subquery,
    latest_members_subquery,
    previous_members_subquery,
    village_members_subquery,
    villages_with_figures,
)
from communes.selectors.dashboard import (
    DASHBOARD_EXTENSIONS,
    DASHBOARD_ROW_EXTENSIONS,
    CommuneRow,
    Dashboard,
    Figures,
    FlagCounts,
    commune_rows,
    dashboard_rows,
    parse_sort,
    sort_rows,
)
from communes.selectors.series import SeriesPoint, coverage_series

__all__ = [
    "DASHBOARD_EXTENSIONS",
    "DASHBOARD_ROW_EXTENSIONS",
    "EMPTY_FIGURES",
    "CommuneDetail",
    "CommuneFigures",
    "CommuneRow",
    "Dashboard",
    "Figures",
    "FlagCounts",
    "GroupLine",
    "SeriesPoint",
    "VillageLine",
    "active_group_established_by",
    "commune_detail",
    "commune_figures",
    "commune_rows",
    "coverage_series",
    "dashboard_rows",
    "latest_installs_subquery",
    "latest_members_subquery",
    "parse_sort",
    "previous_members_subquery",
    "sort_rows",
    "village_members_subquery",
    "villages_with_figures",
]
