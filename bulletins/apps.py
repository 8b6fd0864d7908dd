from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BulletinsConfig(AppConfig):
    name = "bulletins"
    verbose_name = _("Bulletins")

    def ready(self) -> None:
        import logging

        from bulletins.transports.base import RedactBotTokens

        # httpx logs each request's URL, and a Bot API URL holds the bot's token.
        logging.getLogger("httpx").addFilter(RedactBotTokens())
