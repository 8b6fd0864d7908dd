from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MessengerConfig(AppConfig):
    name = "messenger"
    verbose_name = _("Messengers")

    def ready(self) -> None:
        # Notices are created on the floors below, which cannot import this app: it listens to
        # notifications.signals.notifications_created instead.
        from messenger import receivers

        receivers.connect()
