"""Notices as direct messages (docs/rules.md#messenger): each notice goes to each chat its
recipient linked before it was created, once.

The outbox row (DirectMessage) is the claim: inserted under the unique (notice, platform, chat)
by the worker that sends it, so a second worker, or the task run twice, finds it taken and sends
nothing. A retry is claimed with a conditional UPDATE on `claimed_at`, and the attempts follow
the Telegram rules of the deliveries (bulletins.sending, docs/rules.md#telegram): 429 waits
`retry_after`, a 5xx or an unreachable platform backs off, a refusal fails at once, an
unreadable answer is retried at most twice, and no message is tried more than MAX_ATTEMPTS
times. A claim older than CLAIM_TIMEOUT is a worker that died mid-send: taken up again as an
unknown outcome.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from bulletins import transports
from bulletins.claims import (
    CLAIM_TIMEOUT,
    MAX_ATTEMPTS,
    UNKNOWN_RETRIES,
    abandoned,
    backoff_seconds,
    claim_changes,
    claimable,
    finish,
)
from bulletins.models import Channel
from bulletins.sending import may_have_gone_out
from messenger import bots
from messenger.models import DirectMessage, DirectMessageStatus, MessengerLink
from notifications.models import Notification

logger = logging.getLogger(__name__)

# docs/rules.md#messenger: a notice missed (its task lost) is sent while it is a day old at most.
MAX_AGE = datetime.timedelta(days=1)


@dataclass(frozen=True)
class SendResult:
    status: str  # "sent", "failed", "retry", "skipped"
    message_id: int | None = None
    retry_in: float | None = None


def absolute_url(path: str) -> str:
    """The notice's link as the person opens it from the chat: PUBLIC_BASE_URL and the path."""
    if not path or path.startswith(("http://", "https://")):
        return path
    return f"{settings.PUBLIC_BASE_URL.rstrip('/')}/{path.lstrip('/')}"


def notice_text(notification: Notification, *, limit: int) -> str:
    """The notice's text, then its absolute link on a line of its own; plain text, cut to the
    platform's longest message with the link kept whole."""
    link = absolute_url(notification.url)
    tail = f"\n\n{link}" if link else ""
    text = notification.text.strip()
    if len(text) + len(tail) > limit:
        text = text[: max(limit - len(tail) - 1, 0)].rstrip() + "…"
    return text + tail


def _active_bots(district_ids) -> dict[tuple[int, str], Channel]:
    return {
        (channel.district_id, channel.platform): channel
        for channel in bots.notification_bots().filter(district_id__in=set(district_ids))
    }


def notices_send(
    *, notification_ids: Iterable[int], now: datetime.datetime | None = None
) -> list[SendResult]:
    """Send each notice (at most MAX_AGE old) to every chat its recipient linked no later than
    it was created, through the top unit's active bot of that platform; once per chat, however
    often and however concurrently this runs."""
    now = now or timezone.now()
    notices = list(
        Notification.objects.filter(pk__in=list(notification_ids), created_at__gte=now - MAX_AGE)
        .select_related("user__profile")
        .order_by("pk")
    )
    links: dict[int, list[MessengerLink]] = {}
    for link in MessengerLink.objects.filter(user_id__in={n.user_id for n in notices}):
        links.setdefault(link.user_id, []).append(link)
    districts = {
        n.user_id: getattr(getattr(n.user, "profile", None), "district_id", None) for n in notices
    }
    bots_by_unit = _active_bots(d for d in districts.values() if d is not None)
    results = []
    for notice in notices:
        for link in links.get(notice.user_id, []):
            channel = bots_by_unit.get((districts[notice.user_id], link.platform))
            if channel is None or link.linked_at > notice.created_at:
                continue
            message = _claim_new(notice, link, now)
            if message is None:
                results.append(SendResult("skipped"))
                continue
            results.append(_deliver(message, channel, notice, now))
    return results


def _claim_new(notice: Notification, link: MessengerLink, now) -> DirectMessage | None:
    """The outbox row for this notice and chat, inserted claimed by this worker; None when it
    exists already (another worker's, or an earlier run's)."""
    try:
        with transaction.atomic():
            return DirectMessage.objects.create(
                notification=notice,
                link=link,
                platform=link.platform,
                chat_id=link.chat_id,
                attempts=1,
                claimed_at=now,
                last_attempt_at=now,
                created_at=now,
            )
    except IntegrityError:
        return None


def _claimable(now: datetime.datetime) -> Q:
    """Pending, still linked, and claimable (bulletins.claims)."""
    return Q(status=DirectMessageStatus.PENDING, link__isnull=False) & claimable(now)


def direct_message_send(*, message_id: int, now: datetime.datetime | None = None) -> SendResult:
    """Send one waiting message again (a retry, or a dead sender's), claimed first with a
    conditional UPDATE: only the worker that changed the row sends."""
    now = now or timezone.now()
    claimed = DirectMessage.objects.filter(_claimable(now), pk=message_id).update(
        **claim_changes(now)
    )
    if not claimed:
        return SendResult("skipped", message_id)
    message = DirectMessage.objects.select_related("notification__user__profile").get(pk=message_id)
    district_id = getattr(getattr(message.notification.user, "profile", None), "district_id", None)
    channel = bots.notification_bot(district_id=district_id, platform=message.platform)
    if channel is None:
        return _fail(message, _("The notification bot is not connected any more."))
    return _deliver(message, channel, message.notification, now)


def _deliver(message: DirectMessage, channel: Channel, notice: Notification, now) -> SendResult:
    transport = bots.bot_transport(channel)
    outcome = transport.direct_message(
        chat_id=message.chat_id, text=notice_text(notice, limit=transport.max_text_length)
    )
    return _record(message, outcome, now)


def _fail(message: DirectMessage, error: str) -> SendResult:
    finish(message, status=DirectMessageStatus.FAILED, error=error, next_attempt_at=None)
    logger.warning("direct message %s failed: %s", message.pk, error)
    return SendResult("failed", message.pk)


def _retry_later(message: DirectMessage, error: str, *, wait: float, now, **changes) -> SendResult:
    finish(message, error=error, next_attempt_at=now + datetime.timedelta(seconds=wait), **changes)
    return SendResult("retry", message.pk, retry_in=wait)


def _record(message: DirectMessage, outcome: transports.Outcome, now) -> SendResult:
    if isinstance(outcome, transports.Sent):
        finish(
            message,
            status=DirectMessageStatus.SENT,
            sent_at=timezone.now(),
            error="",
            next_attempt_at=None,
        )
        return SendResult("sent", message.pk)
    if isinstance(outcome, transports.Failed):
        return _fail(message, outcome.error)
    last_attempt = message.attempts >= MAX_ATTEMPTS
    if isinstance(outcome, transports.Unknown):
        if last_attempt or message.unknown_outcomes + 1 > UNKNOWN_RETRIES:
            return _fail(message, may_have_gone_out(message.attempts, outcome.error))
        return _retry_later(
            message,
            outcome.error,
            wait=backoff_seconds(message.attempts),
            now=now,
            unknown_outcomes=F("unknown_outcomes") + 1,
        )
    if last_attempt:
        return _fail(
            message,
            _("Not sent after %(n)s attempts: %(error)s")
            % {"n": message.attempts, "error": outcome.error},
        )
    wait = outcome.after if outcome.after is not None else backoff_seconds(message.attempts)
    return _retry_later(message, outcome.error, wait=wait, now=now)


def direct_messages_due(*, now: datetime.datetime | None = None) -> list[int]:
    """Waiting messages whose time has come and that no live sender holds (beat)."""
    now = now or timezone.now()
    return list(
        DirectMessage.objects.filter(_claimable(now))
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:500]
    )


def direct_messages_give_up(*, now: datetime.datetime | None = None) -> int:
    """Fail the waiting messages that may not be tried again (beat, before the due ones): out
    of attempts, a dead sender's claim once an unknown outcome may not be retried, and those
    whose chat was unlinked."""
    now = now or timezone.now()
    stale = now - CLAIM_TIMEOUT
    pending = DirectMessage.objects.filter(status=DirectMessageStatus.PENDING)
    failed = 0
    for message in abandoned(pending, now):
        error = may_have_gone_out(message.attempts, _("the sender stopped mid-send"))
        failed += finish(message, status=DirectMessageStatus.FAILED, error=error)
    unclaimed = pending.filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=stale))
    failed += unclaimed.filter(attempts__gte=MAX_ATTEMPTS).update(
        status=DirectMessageStatus.FAILED, claimed_at=None, next_attempt_at=None
    )
    failed += unclaimed.filter(link__isnull=True).update(
        status=DirectMessageStatus.FAILED,
        claimed_at=None,
        next_attempt_at=None,
        error=_("The chat was unlinked."),
    )
    return failed


def notices_missed(*, now: datetime.datetime | None = None) -> list[int]:
    """Notices of the last MAX_AGE that a chat linked before them has not had (their task was
    lost, the broker was down), where the recipient's unit has an active bot of that chat's
    platform (beat queues them again)."""
    now = now or timezone.now()
    bot = Channel.objects.unscoped().filter(
        commune__isnull=True,
        active=True,
        platform=OuterRef("platform"),
        district_id=OuterRef("user__profile__district_id"),
    )
    had = DirectMessage.objects.filter(
        notification_id=OuterRef(OuterRef("pk")),
        platform=OuterRef("platform"),
        chat_id=OuterRef("chat_id"),
    )
    unsent = (
        MessengerLink.objects.filter(
            user_id=OuterRef("user_id"), linked_at__lte=OuterRef("created_at")
        )
        .filter(Exists(bot))
        .exclude(Exists(had))
    )
    return list(
        Notification.objects.filter(created_at__gte=now - MAX_AGE, created_at__lte=now)
        .filter(Exists(unsent))
        .order_by("pk")
        .values_list("pk", flat=True)[:500]
    )
