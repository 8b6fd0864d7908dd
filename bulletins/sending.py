"""Sending deliveries through the commune's channels: the outbox that publishing filled.
Claim the delivery, hand its text to the platform's transport, record the outcome.

A delivery is claimed before it is sent, with a conditional UPDATE on `claimed_at`; only the
process that changed the row sends, so two workers never send one delivery twice. A claim
older than CLAIM_TIMEOUT is a worker that died mid-send: the row is taken up again, so nothing
stays stuck. That send's outcome is unknown (the message may have reached the group), so it
counts as one, and a delivery whose outcome stayed unknown UNKNOWN_RETRIES + 1 times fails
instead of risking the message a fourth time (docs/rules.md#sending, Telegram). No delivery is
tried more than MAX_ATTEMPTS times, and a failed one is never sent again by itself.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from bulletins import notices, transports
from bulletins.claims import (
    MAX_ATTEMPTS,
    UNKNOWN_RETRIES,
    abandoned,
    backoff_seconds,
    claim_changes,
    claimable,
    finish,
)
from bulletins.models import Channel, ChannelKind, Delivery, DeliveryStatus
from bulletins.verification import verify_url_of
from communes.wording import commune_committee
from communes.wording import commune_title as _commune_title
from groups.models import MessagingGroup

logger = logging.getLogger(__name__)

# docs/rules.md#sending: at most 20 messages a minute to one group.
GROUP_MESSAGES_PER_MINUTE = 20
RATE_WINDOW = datetime.timedelta(minutes=1)


def commune_title(commune) -> str:
    """The commune with its kind's word ("xã Đa Kia", "phường …"), as the messages and the
    public pages name it (communes.wording): in Vietnamese, whatever the reader's language."""
    with translation.override("vi"):
        return str(_commune_title(commune))


def delivery_text(bulletin) -> str:
    """The text posted to a group (docs/rules.md#delivery-text): the title, a blank line, the
    body, a blank line, `Nguồn: <source>` when there is a source, the sender `UBND xã <commune>`
    (`UBND phường …` for a ward, `UBND đặc khu …` for a special zone), and last `Xác thực:
    <verify_url>`, the public page proving it official. Plain text: neither platform is asked
    to read markup in it. Computed once, at publishing (`sent_text`)."""
    parts = [bulletin.title, "", bulletin.body, ""]
    if bulletin.source:
        parts.append(f"Nguồn: {bulletin.source}")
    parts.append(commune_committee(bulletin.commune))
    url = verify_url_of(bulletin.verify_code)
    if url:
        parts.append(f"Xác thực: {url}")
    return "\n".join(parts)


def sent_text(bulletin) -> str:
    """The text every delivery of a published bulletin carries, byte for byte: the one stored
    at publishing, so the public page's SHA-256 holds whatever is renamed afterwards."""
    return bulletin.delivered_text or delivery_text(bulletin)


@dataclass(frozen=True)
class SendResult:
    status: str  # "sent", "failed", "retry", "skipped", "manual"
    retry_in: float | None = None


def _claimable(now: datetime.datetime) -> Q:
    """Pending and claimable (bulletins.claims)."""
    return Q(status=DeliveryStatus.PENDING) & claimable(now)


def _claim(delivery_id: int, now: datetime.datetime) -> Delivery | float | None:
    """Claim the delivery for this process, within the group's rate. Answers the delivery,
    None when there is nothing to do (sent, claimed by another, not due, out of attempts), or
    the seconds to wait when the group has had its 20 messages this minute."""
    with transaction.atomic():
        row = (
            Delivery.objects.filter(pk=delivery_id).values("group_id", "status", "attempts").first()
        )
        if row is None or row["status"] != DeliveryStatus.PENDING:
            return None
        if row["attempts"] >= MAX_ATTEMPTS:
            return None  # the sweep fails it
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
        claimed = Delivery.objects.filter(_claimable(now), pk=delivery_id).update(
            **claim_changes(now)
        )
        if not claimed:
            return None  # another process has it, or it is not due yet
    return Delivery.objects.select_related("bulletin__commune", "group").get(pk=delivery_id)


def _fail(delivery: Delivery, channel: Channel | None, error: str) -> SendResult:
    # The failure and its notice stand or fall together.
    with transaction.atomic():
        if finish(delivery, status=DeliveryStatus.FAILED, error=error, next_attempt_at=None):
            notices.delivery_failed_notify(delivery_id=delivery.pk)
    if channel is not None:
        Channel.objects.filter(pk=channel.pk).update(last_error=error, last_error_at=timezone.now())
    logger.warning("delivery %s failed: %s", delivery.pk, error)
    return SendResult("failed")


def _retry_later(
    delivery: Delivery, error: str, *, wait: float, now: datetime.datetime, **changes
) -> SendResult:
    finish(delivery, error=error, next_attempt_at=now + datetime.timedelta(seconds=wait), **changes)
    return SendResult("retry", retry_in=wait)


def may_have_gone_out(attempts: int, error: str) -> str:
    return _(
        "No readable answer after %(n)s attempts: the message may have gone out. Look in the "
        "group before posting it by hand. (%(error)s)"
    ) % {"n": attempts, "error": error}


def _record(
    delivery: Delivery,
    channel: Channel | None,
    outcome: transports.Outcome,
    now: datetime.datetime,
) -> SendResult:
    """What the transport answered, on the delivery (and the channel, when it failed)."""
    if isinstance(outcome, transports.Sent):
        finish(
            delivery,
            status=DeliveryStatus.SENT,
            sent_at=timezone.now(),
            error="",
            next_attempt_at=None,
        )
        return SendResult("sent")
    if isinstance(outcome, transports.PostByHand):
        # The channel was switched off (or the group's id removed) after publishing: an
        # officer posts it by hand instead.
        finish(
            delivery,
            channel=ChannelKind.MANUAL,
            status=DeliveryStatus.AWAITING_CONFIRMATION,
            error=_("No active channel for this group any more: post it by hand."),
            next_attempt_at=None,
        )
        return SendResult("manual")
    if isinstance(outcome, transports.Failed):
        return _fail(delivery, channel, outcome.error)
    last_attempt = delivery.attempts >= MAX_ATTEMPTS
    if isinstance(outcome, transports.Unknown):
        unknown = delivery.unknown_outcomes + 1
        if last_attempt or unknown > UNKNOWN_RETRIES:
            return _fail(delivery, channel, may_have_gone_out(delivery.attempts, outcome.error))
        return _retry_later(
            delivery,
            outcome.error,
            wait=backoff_seconds(delivery.attempts),
            now=now,
            unknown_outcomes=F("unknown_outcomes") + 1,
        )
    if last_attempt:
        return _fail(
            delivery,
            channel,
            _("Not sent after %(n)s attempts: %(error)s")
            % {"n": delivery.attempts, "error": outcome.error},
        )
    wait = outcome.after if outcome.after is not None else backoff_seconds(delivery.attempts)
    return _retry_later(delivery, outcome.error, wait=wait, now=now)


def delivery_send(*, delivery_id: int, now: datetime.datetime | None = None) -> SendResult:
    """Send one delivery through its channel, at most once: claim, call the platform's
    transport, record the answer. A wait asked for (Telegram's 429) is kept, other passing
    failures back off (30 s, doubling), an answer that cannot be read is retried at most
    twice, a refusal fails at once with a readable error on the delivery and the channel; the
    fifth attempt is the last whatever fails."""
    now = now or timezone.now()
    claimed = _claim(delivery_id, now)
    if claimed is None:
        return SendResult("skipped")
    if isinstance(claimed, float):
        return SendResult("retry", retry_in=claimed)
    delivery = claimed
    channel = Channel.objects.filter(
        commune_id=delivery.bulletin.commune_id, platform=delivery.channel, active=True
    ).first()
    if channel is None or not delivery.group.channel_id:
        transport = transports.transport_for(ChannelKind.MANUAL)(None)
    else:
        transport = transports.transport_for(channel.platform)(channel)
    outcome = transport.send(chat_id=delivery.group.channel_id, text=sent_text(delivery.bulletin))
    return _record(delivery, channel, outcome, now)


def deliveries_due(*, now: datetime.datetime | None = None) -> list[int]:
    """Pending deliveries whose time has come and that no live sender holds (beat, every
    minute): new ones whose task was lost, retries, and stale claims; never one out of
    attempts."""
    now = now or timezone.now()
    return list(
        Delivery.objects.filter(_claimable(now))
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:500]
    )


def deliveries_give_up(*, now: datetime.datetime | None = None) -> int:
    """Fail the pending deliveries that may not be tried again and that no live sender holds
    (beat, every minute, before the due ones are sent): a dead sender's claim once an unknown
    outcome may not be retried, and any delivery that has had its MAX_ATTEMPTS."""
    now = now or timezone.now()
    pending = Delivery.objects.filter(status=DeliveryStatus.PENDING)
    failed = 0
    # A sender died during the last attempt: that message may have reached the group.
    for delivery in abandoned(pending, now):
        error = may_have_gone_out(delivery.attempts, _("the sender stopped mid-send"))
        with transaction.atomic():
            if finish(delivery, status=DeliveryStatus.FAILED, error=error, next_attempt_at=None):
                failed += 1
                notices.delivery_failed_notify(delivery_id=delivery.pk)
    for delivery in pending.filter(claimed_at__isnull=True, attempts__gte=MAX_ATTEMPTS):
        error = _("Not sent after %(n)s attempts: %(error)s") % {
            "n": delivery.attempts,
            "error": delivery.error,
        }
        with transaction.atomic():
            if Delivery.objects.filter(pk=delivery.pk, claimed_at__isnull=True).update(
                status=DeliveryStatus.FAILED, error=error, next_attempt_at=None
            ):
                failed += 1
                notices.delivery_failed_notify(delivery_id=delivery.pk)
    return failed
