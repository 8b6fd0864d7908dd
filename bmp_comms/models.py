from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class KnownLoginAddress(models.Model):
    """An address from which a user has logged in successfully (bmp_comms.login_throttle).

    The per-username login budget counts only attempts from addresses the user is not known at,
    so a stranger who spends it slows the guessing without shutting the owner out of the places
    they log in from. Kept in the database, not the cache: it must survive a Redis restart or
    eviction, which is when an attack is least noticed.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    # The client's address as the throttle sees it; an IPv6 address stands for its /64 network.
    address = models.CharField(_("address"), max_length=64)
    last_login_at = models.DateTimeField(_("last login"))

    class Meta:
        verbose_name = _("known login address")
        verbose_name_plural = _("known login addresses")
        constraints = [
            models.UniqueConstraint(fields=["user", "address"], name="known_login_address_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.address}"
