from __future__ import annotations

import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.db import models
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from bmp_comms.dates import local_today
from bmp_comms.models import ScopedModel
from bmp_comms.scoping import CommuneScopedQuerySet
from communes.models import DatedCount, Village, dated_count_constraints


class Platform(models.TextChoices):
    ZALO = "zalo", "Zalo"
    FACEBOOK = "facebook", "Facebook"
    TELEGRAM = "telegram", "Telegram"
    VIBER = "viber", "Viber"
    OTHER = "other", _("Other")


# Where a post in a group of each platform lives: a link confirming a post made by hand must be
# on one of these hosts or a subdomain of one (m.facebook.com, www.t.me); "other" takes any
# http(s) site (docs/rules.md#confirming-a-post).
POST_HOSTS: dict[str, tuple[str, ...]] = {
    Platform.FACEBOOK: ("facebook.com", "fb.com", "fb.me", "fb.watch"),
    Platform.TELEGRAM: ("t.me", "telegram.me"),
    Platform.ZALO: ("zalo.me", "chat.zalo.me"),
    Platform.VIBER: ("viber.com", "invite.viber.com"),
    Platform.OTHER: (),
}


def is_post_of(platform: str, url: str) -> bool:
    """Whether `url` (already a valid http(s) link) is on the platform's hosts."""
    hosts = POST_HOSTS.get(platform, ())
    if not hosts:
        return True
    try:
        host = (urlsplit(url).hostname or "").rstrip(".").lower()
    except ValueError:
        return False
    return any(host == allowed or host.endswith("." + allowed) for allowed in hosts)


class GroupStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    PLANNED = "planned", _("Planned")
    CLOSED = "closed", _("Closed")


class MessagingGroupQuerySet(CommuneScopedQuerySet):
    def with_existence(self, as_of: datetime.date) -> MessagingGroupQuerySet:
        """Annotate `exists_as_of`: the group is active and exists on D — established on or
        before D, or, with no established_on, registered by D (docs/rules.md#has-a-group: "has a
        group", and the groups whose counts make a village's members). Every figure uses this one
        test."""
        exists = Q(status=GroupStatus.ACTIVE) & (
            Q(established_on__lte=as_of) | Q(established_on__isnull=True, registered_on__lte=as_of)
        )
        return self.annotate(exists_as_of=ExpressionWrapper(exists, output_field=BooleanField()))

    def existing_as_of(self, as_of: datetime.date) -> MessagingGroupQuerySet:
        """The groups that exist as of D (see `with_existence`)."""
        return self.with_existence(as_of).filter(exists_as_of=True)


class MessagingGroup(ScopedModel):
    """A village's news group on a social network: the commune's official channel (D1, D2, D4)."""

    commune_scope = "village__commune"

    village = models.ForeignKey(
        Village, on_delete=models.PROTECT, related_name="groups", verbose_name=_("village")
    )
    platform = models.CharField(_("platform"), max_length=16, choices=Platform.choices)
    name = models.CharField(_("group name"), max_length=200)
    invite_url = models.URLField(_("invite link"), max_length=500, blank=True)
    admin_name = models.CharField(_("admin name"), max_length=120, blank=True)
    admin_phone = models.CharField(_("admin phone"), max_length=20, blank=True)
    admin_trained = models.BooleanField(_("admin trained"), default=False)
    admins_only_post = models.BooleanField(
        _("only admins may post"),
        default=False,
        help_text=_("An official notice-board group lets only its owner and deputies post."),
    )
    established_on = models.DateField(_("established on"), null=True, blank=True)
    # A group with no established_on counts from the day it was registered
    # (docs/rules.md#has-a-group).
    registered_on = models.DateField(_("registered on"), default=local_today, editable=False)
    status = models.CharField(
        _("status"), max_length=16, choices=GroupStatus.choices, default=GroupStatus.ACTIVE
    )
    # The platform's own id of the group (a Telegram chat id, a Zalo OA group_id): with one,
    # bulletins are sent through the commune's channel; empty, they are posted by hand.
    channel_id = models.CharField(
        _("channel id"),
        max_length=100,
        blank=True,
        # A default in the database too, so rows inserted by plain SQL (bench/) get one.
        default="",
        db_default="",
        help_text=_(
            "The platform's id of the group (Telegram chat id such as -1001234567890, Zalo "
            "group_id); leave empty to post bulletins by hand."
        ),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = MessagingGroupQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("news group")
        verbose_name_plural = _("news groups")
        ordering = ["village__name", "name"]
        indexes = [models.Index(fields=["village", "status"], name="group_village_status")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="active") | ~Q(invite_url=""),
                name="group_active_has_invite_url",
            )
        ]

    def __str__(self) -> str:
        return self.name


# What a group's writer gives (form, API and services alike): the page's and the API's field names.
GROUP_FIELDS = (
    "village",
    "platform",
    "name",
    "invite_url",
    "admin_name",
    "admin_phone",
    "admin_trained",
    "admins_only_post",
    "established_on",
    "status",
    "channel_id",
)


class MemberCount(DatedCount):
    """Members of a group on a date (D3)."""

    owner_field = "group"
    value_field = "members"
    duplicate_message = _("A count for this group on this date already exists; correct it instead.")

    group = models.ForeignKey(
        MessagingGroup,
        on_delete=models.CASCADE,
        related_name="member_counts",
        verbose_name=_("news group"),
    )
    members = models.PositiveIntegerField(_("members"))

    class Meta(DatedCount.Meta):
        verbose_name = _("member count")
        verbose_name_plural = _("member counts")
        constraints = dated_count_constraints("group", "members", prefix="member_count")
