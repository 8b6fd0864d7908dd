"""Sending deliveries through the commune's channels: the outbox that publishing filled.

A delivery is claimed before it is sent, with a conditional UPDATE on `claimed_at`; only the
process that changed the row sends, so two workers never send one delivery twice. A claim
older than CLAIM_TIMEOUT is a worker that died mid-send: the row is taken up again, so nothing
stays stuck (the price is that such a message may reach its group twice, never zero times).
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from bulletins import platforms
from bulletins.models import Channel, ChannelKind, ChannelPlatform, Delivery, DeliveryStatus
from communes.services import dated_count_record
from groups.models import GroupStatus, MemberCount, MessagingGroup

logger = logging.getLogger(__name__)

# DESIGN.md: at most 20 messages a minute to one group.
GROUP_MESSAGES_PER_MINUTE = 20
RATE_WINDOW = datetime.timedelta(minutes=1)
# Longer than an HTTP call can take (platforms.TIMEOUT_SECONDS, and a token refresh before it).
CLAIM_TIMEOUT = datetime.timedelta(minutes=5)
MAX_ATTEMPTS = 8
BACKOFF_FIRST_SECONDS = 30
BACKOFF_MAX_SECONDS = 3600
# A Zalo access token lives about 25 hours; renew it a little before it runs out.
ZALO_REFRESH_MARGIN = datetime.timedelta(minutes=10)


def delivery_text(bulletin) -> str:
    """The text posted to a group (DESIGN.md): the title, a blank line, the body, then
    `Nguồn: <source>` when there is a source, and the sender `UBND xã <commune>`. Plain text:
    neither platform is asked to read markup in it."""
    parts = [bulletin.title, "", bulletin.body, ""]
    if bulletin.source:
        parts.append(f"Nguồn: {bulletin.source}")
    parts.append(f"UBND xã {bulletin.commune.name}")
    return "\n".join(parts)


@dataclass(frozen=True)
class Outcome:
    status: str  # "sent", "failed", "retry", "skipped", "manual"
    retry_in: float | None = None


def _claim(delivery_id: int, now: datetime.datetime) -> Delivery | float | None:
    """Claim the delivery for this process, within the group's rate. Answers the delivery,
    None when there is nothing to do (sent, claimed by another, not due), or the seconds to wait
    when the group has had its 20 messages this minute."""
    with transaction.atomic():
        row = (
            Delivery.objects.filter(pk=delivery_id)
            .values("group_id", "status", "next_attempt_at")
            .first()
        )
        if row is None or row["status"] != DeliveryStatus.PENDING:
            return None
        # One sender at a time per group (the row lock; SQLite's write lock does the same), so
        # the count of the minute's messages and the claim are one step.
        MessagingGroup.objects.select_for_update().filter(pk=row["group_id"]).first()
        window = Delivery.objects.filter(
            group_id=row["group_id"], last_attempt_at__gt=now - RATE_WINDOW
        ).exclude(pk=delivery_id)
        if window.count() >= GROUP_MESSAGES_PER_MINUTE:
            oldest = window.order_by("last_attempt_at").values_list("last_attempt_at", flat=True)[0]
            wait = (oldest + RATE_WINDOW - now).total_seconds()
            Delivery.objects.filter(pk=delivery_id).update(
                next_attempt_at=now + datetime.timedelta(seconds=wait)
            )
            return max(wait, 1.0)
        claimed = (
            Delivery.objects.filter(pk=delivery_id, status=DeliveryStatus.PENDING)
            .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
            .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - CLAIM_TIMEOUT))
            .update(claimed_at=now, last_attempt_at=now, attempts=F("attempts") + 1)
        )
        if not claimed:
            return None  # another process has it, or it is not due yet
    return Delivery.objects.select_related("bulletin__commune", "group").get(pk=delivery_id)


def _finish(delivery: Delivery, **changes) -> None:
    # Only the claim's owner finishes it: a row re-claimed after a timeout has a new claimed_at.
    Delivery.objects.filter(pk=delivery.pk, claimed_at=delivery.claimed_at).update(
        claimed_at=None, **changes
    )


def _channel_error(channel: Channel, error: str, now: datetime.datetime) -> None:
    Channel.objects.filter(pk=channel.pk).update(last_error=error, last_error_at=now)


def _zalo_access_token(channel: Channel, *, stale: str | None, now: datetime.datetime):
    """The channel's access token, renewed first when it is about to expire or `stale` (the
    token a send was refused with) is still the stored one. A refresh token works once, so the
    renewal runs under the channel's row lock and the new pair is stored before it is used;
    a worker that waited on the lock finds the pair renewed and uses it."""
    with transaction.atomic():
        locked = Channel.objects.select_for_update().get(pk=channel.pk)
        credentials = locked.credentials
        expires_at = credentials.get("expires_at")
        expiring = expires_at is not None and (
            datetime.datetime.fromisoformat(expires_at) <= now + ZALO_REFRESH_MARGIN
        )
        if not expiring and (stale is None or credentials["access_token"] != stale):
            return credentials["access_token"], None
        reply = platforms.zalo_refresh(
            app_id=credentials["app_id"],
            secret_key=credentials["secret_key"],
            refresh_token=credentials["refresh_token"],
        )
        if not reply.ok:
            return None, reply
        data = reply.data
        credentials.update(
            access_token=data["access_token"],
            refresh_token=data["refresh_token"],
            expires_at=(
                now + datetime.timedelta(seconds=int(data.get("expires_in") or 90000))
            ).isoformat(),
        )
        locked.credentials = credentials
        locked.save(update_fields=["credentials_encrypted", "updated_at"])
    return credentials["access_token"], None


def _send(delivery: Delivery, channel: Channel, now: datetime.datetime) -> platforms.Reply:
    text = delivery_text(delivery.bulletin)
    chat_id = delivery.group.channel_id
    if channel.platform == ChannelPlatform.TELEGRAM:
        return platforms.telegram_send(
            token=channel.credentials["bot_token"], chat_id=chat_id, text=text
        )
    token, refused = _zalo_access_token(channel, stale=None, now=now)
    if refused:
        return refused
    reply = platforms.zalo_send(access_token=token, group_id=chat_id, text=text)
    if reply.token_expired:
        token, refused = _zalo_access_token(channel, stale=token, now=now)
        if refused:
            return refused
        reply = platforms.zalo_send(access_token=token, group_id=chat_id, text=text)
    return reply


def _backoff_seconds(attempts: int) -> float:
    return float(min(BACKOFF_FIRST_SECONDS * 2 ** max(attempts - 1, 0), BACKOFF_MAX_SECONDS))


def delivery_send(*, delivery_id: int, now: datetime.datetime | None = None) -> Outcome:
    """Send one delivery through its channel, at most once: claim, call the platform, record
    the answer. Telegram's 429 waits `retry_after`, 5xx and network failures back off (30 s,
    doubling, up to MAX_ATTEMPTS attempts), a refusal (400/401/403, a Zalo error) fails at once
    with a readable error on the delivery and the channel."""
    now = now or timezone.now()
    claimed = _claim(delivery_id, now)
    if claimed is None:
        return Outcome("skipped")
    if isinstance(claimed, float):
        return Outcome("retry", retry_in=claimed)
    delivery = claimed
    channel = Channel.objects.filter(
        commune_id=delivery.bulletin.commune_id, platform=delivery.channel, active=True
    ).first()
    if channel is None or not delivery.group.channel_id:
        # The channel was switched off (or the group's id removed) after publishing: an
        # officer posts it by hand instead.
        _finish(
            delivery,
            channel=ChannelKind.MANUAL,
            status=DeliveryStatus.AWAITING_CONFIRMATION,
            error=_("No active channel for this group any more: post it by hand."),
            next_attempt_at=None,
        )
        return Outcome("manual")
    reply = _send(delivery, channel, now)
    if reply.ok:
        _finish(
            delivery,
            status=DeliveryStatus.SENT,
            sent_at=timezone.now(),
            error="",
            next_attempt_at=None,
        )
        return Outcome("sent")
    if reply.transient and delivery.attempts < MAX_ATTEMPTS:
        wait = (
            reply.retry_after
            if reply.retry_after is not None
            else _backoff_seconds(delivery.attempts)
        )
        _finish(
            delivery,
            error=reply.error,
            next_attempt_at=now + datetime.timedelta(seconds=wait),
        )
        return Outcome("retry", retry_in=wait)
    error = reply.error
    if reply.transient:
        error = _("Not sent after %(n)s attempts: %(error)s") % {
            "n": delivery.attempts,
            "error": reply.error,
        }
    _finish(delivery, status=DeliveryStatus.FAILED, error=error, next_attempt_at=None)
    _channel_error(channel, error, now)
    logger.warning("delivery %s failed: %s", delivery.pk, error)
    return Outcome("failed")


def deliveries_due(*, now: datetime.datetime | None = None) -> list[int]:
    """Pending deliveries whose time has come and that no live sender holds (beat, every
    minute): new ones whose task was lost, retries, and stale claims."""
    now = now or timezone.now()
    return list(
        Delivery.objects.filter(status=DeliveryStatus.PENDING)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - CLAIM_TIMEOUT))
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:500]
    )


def record_member_count(*, group: MessagingGroup, date: datetime.date, members: int):
    """The one place bulletins record a member count, through the dated counts' service
    (history, one per group and day)."""
    return dated_count_record(model=MemberCount, owner=group, date=date, value=members)


def channel_member_counts_record(*, day: datetime.date | None = None) -> int:
    """Each Telegram group's member count of the day (getChatMemberCount), as a MemberCount;
    a day already counted (by hand, or by an earlier run) is left as it is."""
    day = day or timezone.localdate()
    channels = {
        channel.commune_id: channel
        for channel in Channel.objects.filter(platform=ChannelPlatform.TELEGRAM, active=True)
    }
    groups = (
        MessagingGroup.objects.filter(
            platform=ChannelPlatform.TELEGRAM,
            status=GroupStatus.ACTIVE,
            village__commune_id__in=list(channels),
        )
        .exclude(channel_id="")
        .exclude(member_counts__date=day)
        .select_related("village")
    )
    recorded = 0
    for group in groups:
        channel = channels[group.village.commune_id]
        reply = platforms.telegram_member_count(
            token=channel.credentials["bot_token"], chat_id=group.channel_id
        )
        if not reply.ok or not isinstance((reply.data or {}).get("result"), int):
            if reply.error:
                _channel_error(channel, reply.error, timezone.now())
            continue
        try:
            record_member_count(group=group, date=day, members=reply.data["result"])
        except ValidationError:
            continue  # counted meanwhile
        recorded += 1
    return recorded
