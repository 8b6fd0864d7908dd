from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicConfig(AppConfig):
    """The commune's official channel on the web, without a login (docs/rules.md#public-channel):
    a published bulletin's page `/v/<code>/`, the commune's page `/c/<code>/` and its feed."""

    name = "public"
    verbose_name = _("public pages")
    default_auto_field = "django.db.models.BigAutoField"
