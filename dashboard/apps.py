from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    name = "dashboard"
    verbose_name = _("Dashboard")

    def ready(self) -> None:
        # The snapshots are kept exact by the writes of the floors below, which cannot import
        # the dashboard: it listens to their models' signals instead.
        from dashboard import receivers

        receivers.connect()
