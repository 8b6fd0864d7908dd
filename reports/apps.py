from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from communes import selectors
        from reports.dashboard import fill_deadline_status

        extensions = getattr(selectors, "DASHBOARD_ROW_EXTENSIONS", None)
        if extensions is not None and fill_deadline_status not in extensions:
            extensions.append(fill_deadline_status)
        from reports.dashboard import fill_deadlines

        board_extensions = getattr(selectors, "DASHBOARD_EXTENSIONS", None)
        if board_extensions is not None and fill_deadlines not in board_extensions:
            board_extensions.append(fill_deadlines)
