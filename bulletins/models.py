"""Bulletins and their deliveries to the groups (docs/rules.md#bulletin-workflow–D8), the
channels (a commune's Telegram bot or Zalo OA) that post them, and the top unit's notification
bots (Telegram, Zalo Bot) that write to people (docs/rules.md#notification-bot)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from bmp_comms.models import ScopedModel
from bmp_comms.scoping import CommuneScopedQuerySet
from bulletins import crypto
from bulletins.evidence import evidence_path
from bulletins.verification import verify_url_of
from communes.models import Commune, District, Field, Village
from groups.models import MessagingGroup, Platform


class BulletinStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    SCHEDULED = "scheduled", _("Scheduled")
    PUBLISHED = "published", _("Published")
    REJECTED = "rejected", _("Rejected")


# Statuses in which the text may still change (docs/rules.md#drafting: a draft until it is
# submitted; a rejected bulletin can be edited and submitted again).
EDITABLE_STATUSES = (BulletinStatus.DRAFT, BulletinStatus.REJECTED)
# Statuses whose text counts as news already in the pipeline, for duplicate detection.
DUPLICATE_SOURCE_STATUSES = (
    BulletinStatus.SUBMITTED,
    BulletinStatus.APPROVED,
    BulletinStatus.SCHEDULED,
    BulletinStatus.PUBLISHED,
)


class Bulletin(ScopedModel):
    commune_scope = "commune"

    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, related_name="bulletins", verbose_name=_("commune")
    )
    field = models.ForeignKey(
        Field, on_delete=models.PROTECT, related_name="bulletins", verbose_name=_("field")
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body"))
    source = models.CharField(_("source"), max_length=300, blank=True)
    # None named means every village of the commune (docs/rules.md#deliveries).
    villages = models.ManyToManyField(
        Village, blank=True, related_name="bulletins", verbose_name=_("target villages")
    )
    status = models.CharField(
        _("status"), max_length=16, choices=BulletinStatus.choices, default=BulletinStatus.DRAFT
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="bulletins",
        verbose_name=_("author"),
    )
    publish_at = models.DateTimeField(_("publish at"), null=True, blank=True)
    # Ids of the earlier bulletins this one repeats, as found at submission and again at
    # approval; the page links them, the API gives them as `checks.duplicate_of`.
    duplicate_of = models.JSONField(_("repeats"), default=list, blank=True)
    duplicate_override = models.BooleanField(_("approved despite a duplicate"), default=False)
    # Approved by its own author, a leader of a commune with no other active leader
    # (docs/rules.md#approval: two people per bulletin, or an urgent approval that says why).
    urgent = models.BooleanField(_("approved as urgent by its author"), default=False)
    urgent_reason = models.TextField(_("reason for the urgent approval"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    # Given at publishing (docs/rules.md#public-channel): random, never derived from the id, so
    # that `/v/<code>/` proves a message official and no one can list the bulletins by guessing.
    verify_code = models.CharField(
        _("verification code"), max_length=16, unique=True, null=True, blank=True, editable=False
    )
    # The text every delivery of the bulletin carries, fixed at publishing: the public page's
    # SHA-256 is of these very bytes, whatever is renamed later (a commune, the site's address).
    # (A database default too: rows written by SQL, the bench's, need not name the column.)
    delivered_text = models.TextField(
        _("text sent"), blank=True, default="", db_default="", editable=False
    )

    objects = CommuneScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("bulletin")
        verbose_name_plural = _("bulletins")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["commune", "status"], name="bulletin_commune_status"),
            models.Index(fields=["commune", "published_at"], name="bulletin_commune_published"),
            models.Index(fields=["status", "publish_at"], name="bulletin_status_publish_at"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="bulletin_published_has_time",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    @property
    def verify_url(self) -> str | None:
        """The public page proving the bulletin official; None until it is published."""
        if self.status != BulletinStatus.PUBLISHED:
            return None
        return verify_url_of(self.verify_code)


class BulletinTransition(ScopedModel):
    """The audit of a bulletin's workflow: who moved it, when, from which status to which."""

    commune_scope = "bulletin__commune"

    bulletin = models.ForeignKey(
        Bulletin, on_delete=models.CASCADE, related_name="transitions", verbose_name=_("bulletin")
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("at"))
    from_status = models.CharField(
        _("from"), max_length=16, choices=BulletinStatus.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=16, choices=BulletinStatus.choices)
    note = models.TextField(_("note"), blank=True)

    objects = CommuneScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("bulletin transition")
        verbose_name_plural = _("bulletin transitions")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.bulletin_id}: {self.from_status or '-'} → {self.to_status}"


# The group platforms a commune's channel (a Telegram bot, a Zalo OA) posts to: each has a
# transport in bulletins/transports/. Their codes and names are groups.Platform's, spelled there
# only; a channel's platform and a delivery's channel are choices among them.
CHANNEL_PLATFORMS = (Platform.TELEGRAM, Platform.ZALO)


def _choices(name: str, *extra: tuple[str, tuple[str, str]]) -> type[models.TextChoices]:
    members = [(platform.name, (platform.value, platform.label)) for platform in CHANNEL_PLATFORMS]
    return models.TextChoices(name, [*members, *extra], module=__name__)


# Zalo Bot writes to people, not to groups (docs/rules.md#notification-bot): a channel's platform
# only, never a group's nor a delivery's.
ChannelPlatform = _choices("ChannelPlatform", ("ZALO_BOT", ("zalo_bot", "Zalo Bot")))
# The platforms of a notification bot, the top unit's channel (commune empty).
NOTIFICATION_BOT_PLATFORMS = (ChannelPlatform.TELEGRAM, ChannelPlatform.ZALO_BOT)
# A delivery goes through one of the channels, or is posted by hand.
ChannelKind = _choices("ChannelKind", ("MANUAL", ("manual", _("Posted by hand"))))


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    AWAITING_CONFIRMATION = "awaiting_confirmation", _("Awaiting confirmation")
    CONFIRMED = "confirmed", _("Confirmed")


class Delivery(ScopedModel):
    """A published bulletin × one of the target villages' active groups: sent through the
    commune's channel for the group's platform, or posted by an officer who confirms it."""

    commune_scope = "bulletin__commune"

    bulletin = models.ForeignKey(
        Bulletin, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("bulletin")
    )
    group = models.ForeignKey(
        MessagingGroup,
        on_delete=models.PROTECT,
        related_name="deliveries",
        verbose_name=_("news group"),
    )
    channel = models.CharField(_("channel"), max_length=16, choices=ChannelKind.choices)
    status = models.CharField(_("status"), max_length=24, choices=DeliveryStatus.choices)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    # Attempts whose answer could not be read (or whose sender died): the message may have
    # gone out, so these are retried fewer times than plain failures (claims.UNKNOWN_RETRIES).
    unknown_outcomes = models.PositiveIntegerField(default=0, db_default=0, editable=False)
    error = models.TextField(_("error"), blank=True)
    posted_url = models.URLField(_("link to the post"), max_length=500, blank=True)
    # A picture of the post, re-encoded without metadata (bulletins.evidence); served only by
    # the scoped `deliveries/<id>/evidence/`, never from MEDIA_URL.
    evidence = models.FileField(
        _("picture of the post"), upload_to=evidence_path, max_length=200, blank=True
    )
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The outbox's bookkeeping: a sender claims a row by setting claimed_at with a conditional
    # UPDATE; a claim older than the timeout is a sender that died and may be taken again.
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CommuneScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["bulletin_id", "group__village__name", "group__name", "pk"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="delivery_due"),
            models.Index(fields=["group", "last_attempt_at"], name="delivery_group_attempts"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["bulletin", "group"], name="delivery_one_per_group")
        ]

    def __str__(self) -> str:
        return f"{self.bulletin_id} → {self.group}"


class ChannelQuerySet(CommuneScopedQuerySet):
    def for_profile(self, profile) -> ChannelQuerySet:
        """A commune's channels as any commune-owned row; the top unit's notification bots
        (commune empty) to the top unit's roles only."""
        if profile.is_district_role:
            return self.filter(
                Q(commune__district_id=profile.district_id)
                | Q(commune__isnull=True, district_id=profile.district_id)
            )
        return self.filter(commune_id=profile.commune_id)


class Channel(ScopedModel):
    """A commune's bot (Telegram) or Official Account (Zalo) that posts bulletins to the
    groups of its platform; or, with the commune empty and the top unit set, the top unit's
    notification bot (Telegram or Zalo Bot) that writes notices to the people who linked it
    (docs/rules.md#notification-bot). Credentials are kept encrypted (Fernet,
    CHANNEL_CREDENTIALS_KEY) and are never shown again once saved."""

    commune_scope = "commune"

    commune = models.ForeignKey(
        Commune,
        on_delete=models.PROTECT,
        related_name="channels",
        verbose_name=_("commune"),
        null=True,
        blank=True,
    )
    # Set only on a notification bot: the top unit whose people it writes to.
    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        related_name="notification_bots",
        verbose_name=_("district"),
        null=True,
        blank=True,
    )
    platform = models.CharField(_("platform"), max_length=16, choices=ChannelPlatform.choices)
    credentials_encrypted = models.TextField(editable=False)
    active = models.BooleanField(_("active"), default=True)
    last_error = models.TextField(_("last error"), blank=True)
    last_error_at = models.DateTimeField(_("last error at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ChannelQuerySet.as_manager()

    class Meta:
        verbose_name = _("channel")
        verbose_name_plural = _("channels")
        ordering = ["commune__name", "platform"]
        constraints = [
            models.UniqueConstraint(
                fields=["commune", "platform"], name="channel_one_per_platform"
            ),
            # A NULL commune is distinct from every other in the constraint above: the top
            # unit's bots are held one per platform by their own.
            models.UniqueConstraint(
                fields=["district", "platform"],
                condition=Q(commune__isnull=True),
                name="channel_one_bot_per_top_unit",
            ),
            # A commune's channel, or the top unit's bot: one owner, never both or neither.
            models.CheckConstraint(
                condition=Q(commune__isnull=False, district__isnull=True)
                | Q(commune__isnull=True, district__isnull=False),
                name="channel_commune_or_top_unit",
            ),
            # Zalo Bot writes to people only; a notification bot is Telegram or Zalo Bot.
            models.CheckConstraint(
                condition=Q(
                    commune__isnull=False, platform__in=[p.value for p in CHANNEL_PLATFORMS]
                )
                | Q(
                    commune__isnull=True,
                    platform__in=[p.value for p in NOTIFICATION_BOT_PLATFORMS],
                ),
                name="channel_platform_fits_owner",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.commune or self.district} · {self.get_platform_display()}"

    def __repr__(self) -> str:
        # Never the credentials, not even encrypted.
        if self.commune_id is None:
            return f"<Channel {self.pk} {self.platform} top_unit={self.district_id}>"
        return f"<Channel {self.pk} {self.platform} commune={self.commune_id}>"

    @property
    def is_notification_bot(self) -> bool:
        return self.commune_id is None

    @property
    def credentials(self) -> dict[str, str]:
        return crypto.decrypt(self.credentials_encrypted) if self.credentials_encrypted else {}

    @credentials.setter
    def credentials(self, value: dict[str, str]) -> None:
        self.credentials_encrypted = crypto.encrypt(value)
