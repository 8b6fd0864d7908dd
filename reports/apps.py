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
