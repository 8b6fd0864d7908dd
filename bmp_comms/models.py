from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from bmp_comms.scoping import unscoped


class ScopedModel(models.Model):
    """The base of a commune-owned model (bmp_comms.scoping): its uniqueness rules hold over
    every row, whichever commune the writer can see, so Django's unique and constraint checks
    (full_clean, a ModelForm's validation) read the table unscoped."""

    class Meta:
        abstract = True

    def validate_unique(self, exclude=None) -> None:
        with unscoped():
            super().validate_unique(exclude)

    def validate_constraints(self, exclude=None) -> None:
        with unscoped():
            super().validate_constraints(exclude)


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
