"""Publishing: an approved bulletin, now or at its time, becomes one delivery per active group
of its villages, sent through the commune's channel or posted by hand and confirmed with the
post's link. The publishing transition is the workflow's (bulletins.services), one conditional
UPDATE from the status it expects, so two leaders or two beat runs publish a bulletin once.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Exists, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from bmp_comms.permissions import can_author_bulletins
from bmp_comms.validation import web_url_validator
from bulletins import notices, outbox
from bulletins.evidence import evidence_clean, evidence_path
from bulletins.models import (
    Bulletin,
    BulletinStatus,
    Channel,
    ChannelKind,
    Delivery,
    DeliveryStatus,
)
from bulletins.sending import delivery_text
from bulletins.services import clean_publish_at, require_leader
from bulletins.transitions import TransitionConflict, move_bulletin, refuse_transition
from bulletins.verification import new_verify_code
from groups.models import POST_HOSTS, GroupStatus, MessagingGroup, Platform, is_post_of


def target_groups(bulletin: Bulletin):
    """The active groups of the targeted villages, all of the commune's when none are named:
    one query, whatever the number of villages named."""
    targeted = Bulletin.villages.through.objects.filter(bulletin_id=bulletin.pk)
    # Unscoped: the bulletin's own commune, whoever publishes it (a leader, the beat job).
    return (
        MessagingGroup.objects.unscoped()
        .filter(village__commune_id=bulletin.commune_id, status=GroupStatus.ACTIVE)
        .filter(Q(village_id__in=targeted.values("village_id")) | ~Exists(targeted))
        .order_by("pk")
    )


def _create_deliveries(bulletin: Bulletin, now: datetime.datetime) -> list[Delivery]:
    """One delivery per target group: through the commune's active channel of the group's
    platform when the group has a `channel_id`, else awaiting an officer's confirmation. Three
    queries whatever the number of groups (the channels, the groups, one insert): a commune may
    have hundreds of groups, and a leader waits for the page."""
    # Unscoped: the channels of the bulletin's own commune.
    active = set(
        Channel.objects.unscoped()
        .filter(commune_id=bulletin.commune_id, active=True)
        .values_list("platform", flat=True)
    )
    deliveries = []
    for group_id, platform, channel_id in target_groups(bulletin).values_list(
        "pk", "platform", "channel_id"
    ):
        automatic = bool(channel_id) and platform in active
        deliveries.append(
            Delivery(
                bulletin=bulletin,
                group_id=group_id,
                channel=ChannelKind(platform) if automatic else ChannelKind.MANUAL,
                status=(
                    DeliveryStatus.PENDING if automatic else DeliveryStatus.AWAITING_CONFIRMATION
                ),
                next_attempt_at=now if automatic else None,
            )
        )
    return Delivery.objects.bulk_create(deliveries)


def _publish(bulletin: Bulletin, *, actor, from_statuses: tuple[str, ...]) -> Bulletin:
    """Publish, create the deliveries, and queue the automatic ones' sending for the commit.
    The bulletin gets its verification code here, and the text its deliveries will carry, with
    the code's address on its last line (docs/rules.md#public-channel); both are written by the
    same conditional UPDATE, so a publishing that loses the race leaves no code behind."""
    now = timezone.now()
    # An approved or scheduled bulletin's text can no longer change: the text made now is the
    # one every delivery sends.
    bulletin.verify_code = new_verify_code()
    bulletin = move_bulletin(
        bulletin=bulletin,
        actor=actor,
        from_statuses=from_statuses,
        to_status=BulletinStatus.PUBLISHED,
        action="publish",
        published_at=now,
        verify_code=bulletin.verify_code,
        delivered_text=delivery_text(bulletin),
    )
    created = _create_deliveries(bulletin, now)
    notices.bulletin_published_notify(bulletin=bulletin)
    pending = [d.pk for d in created if d.status == DeliveryStatus.PENDING]
    if None in pending:
        # A database that does not give the inserted rows their ids (PostgreSQL and SQLite
        # 3.35+ do): read them back.
        pending = list(
            bulletin.deliveries.filter(status=DeliveryStatus.PENDING)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
    outbox.deliveries_queue_on_commit(pending)
    return bulletin


@transaction.atomic
def bulletin_publish(
    *, bulletin: Bulletin, actor, publish_at: datetime.datetime | None = None
) -> Bulletin:
    """A leader publishes an approved bulletin now, or schedules it for `publish_at` (or the
    time the draft asked for) when that is later; beat publishes it then. Publishing creates the
    deliveries and queues the automatic ones, sent once the transaction commits."""
    require_leader(actor, bulletin)
    if bulletin.status not in (BulletinStatus.APPROVED, BulletinStatus.SCHEDULED):
        raise refuse_transition(bulletin, "publish")
    if publish_at is not None:
        clean_publish_at(publish_at)
    when = publish_at or bulletin.publish_at
    if when is not None and when > timezone.now():
        return move_bulletin(
            bulletin=bulletin,
            actor=actor,
            from_statuses=(BulletinStatus.APPROVED, BulletinStatus.SCHEDULED),
            to_status=BulletinStatus.SCHEDULED,
            action="schedule",
            note=_("To be published at %(when)s.")
            % {"when": timezone.localtime(when).strftime("%H:%M %d/%m/%Y")},
            publish_at=when,
        )
    return _publish(
        bulletin, actor=actor, from_statuses=(BulletinStatus.APPROVED, BulletinStatus.SCHEDULED)
    )


def bulletins_publish_due(*, now: datetime.datetime | None = None) -> list[int]:
    """Publish the scheduled bulletins whose time has come (beat, every minute). Each is its
    own transaction and its own conditional UPDATE, so two runs at once publish each once."""
    now = now or timezone.now()
    published = []
    due = Bulletin.objects.filter(status=BulletinStatus.SCHEDULED, publish_at__lte=now)
    for bulletin in due.order_by("publish_at", "pk"):
        try:
            with transaction.atomic():
                _publish(bulletin, actor=None, from_statuses=(BulletinStatus.SCHEDULED,))
        except TransitionConflict:
            continue  # another run, or a leader, got there first
        published.append(bulletin.pk)
    return published


# --- deliveries posted by hand ----------------------------------------------------------------


def _clean_posted_url(delivery: Delivery, posted_url: str) -> str:
    try:
        web_url_validator(posted_url)
    except ValidationError as exc:
        raise ValidationError({"posted_url": exc.messages}) from exc
    platform = delivery.group.platform
    if not is_post_of(platform, posted_url):
        raise ValidationError(
            {
                "posted_url": _(
                    "The group is on %(platform)s: give the link to the post there (%(hosts)s)."
                )
                % {
                    "platform": Platform(platform).label,
                    "hosts": ", ".join(POST_HOSTS[platform]),
                }
            }
        )
    return posted_url


def delivery_confirm(*, delivery: Delivery, actor, posted_url: str = "", evidence=None) -> Delivery:
    """An officer of the commune confirms a post made by hand with the post's link (on the
    group's platform), a picture of it, or both (docs/rules.md#confirming-a-post). A failed
    automatic delivery may be posted by hand and confirmed too. Every input is checked before
    anything is written; the picture is stored re-encoded, and removed again if the delivery
    turns out to be confirmed already, so a refusal leaves no file behind."""
    if not can_author_bulletins(actor, delivery.bulletin.commune):
        raise PermissionDenied(_("Only the commune's officers and leaders confirm its posts."))
    posted_url = (posted_url or "").strip()
    if not posted_url and not evidence:
        raise ValidationError(
            {"posted_url": _("Give the link to the post in the group, or a picture of it.")}
        )
    # Both inputs are judged before either is kept, so one answer names every mistake.
    errors: dict[str, list[str]] = {}
    if posted_url:
        try:
            _clean_posted_url(delivery, posted_url)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    picture = None
    if evidence:
        try:
            picture = evidence_clean(evidence)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    stored = default_storage.save(evidence_path(delivery, ""), picture) if picture else ""
    try:
        delivery = _mark_confirmed(delivery, actor=actor, posted_url=posted_url, evidence=stored)
    except BaseException:
        if stored:
            default_storage.delete(stored)
        raise
    return delivery


@transaction.atomic
def _mark_confirmed(delivery: Delivery, *, actor, posted_url: str, evidence: str) -> Delivery:
    now = timezone.now()
    confirmed = (
        Delivery.objects.unscoped()
        .filter(
            pk=delivery.pk,
            status__in=(DeliveryStatus.AWAITING_CONFIRMATION, DeliveryStatus.FAILED),
        )
        .update(
            status=DeliveryStatus.CONFIRMED,
            posted_url=posted_url,
            evidence=evidence,
            confirmed_by=actor,
            sent_at=now,
            claimed_at=None,
        )
    )
    delivery.refresh_from_db()
    if not confirmed:
        raise ValidationError(
            {
                "status": _("This delivery is %(status)s; there is nothing to confirm.")
                % {"status": delivery.get_status_display().lower()}
            }
        )
    return delivery
