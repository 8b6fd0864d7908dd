"""The notification bots read what people send them (docs/rules.md#messenger): beat runs
`messenger_updates_poll` every minute; each bot's getUpdates is read by one poller at a time
(its BotState row, locked with skip_locked: a second poller passes that bot by), a
`/start <code>` links the chat, and the bot replies in the chat once the links are committed.

Telegram's offset is stored in the same transaction as the links it led to: a poller that dies
before its commit leaves the offset where it was, and the next poll reads those updates again
(their codes unspent, since nothing was committed). The replies go out after the commit, so a
reply never announces a link that was rolled back.
"""

from __future__ import annotations

import datetime
import logging
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from bulletins.models import Channel
from bulletins.transports import Failed, Sent
from bulletins.transports.telegram import Update
from messenger import bots
from messenger.models import BotState
from messenger.services import messenger_link_complete

logger = logging.getLogger(__name__)

# getUpdates calls per bot and run: Telegram gives up to 100 updates a call, Zalo Bot one; the
# rest wait a minute. Each call is bounded by the transports' timeout.
MAX_CALLS = 5
# `/start <code>` (Telegram's Start sends it; `/start@bot <code>` in a group), or the code
# alone, as a person may paste it on Zalo.
START = re.compile(r"/start(?:@\w+)?(?:\s+(?P<code>\S+))?\s*", re.IGNORECASE)
CODE = re.compile(r"[A-Za-z0-9_-]{22}")


@dataclass
class PollResult:
    read: int = 0
    linked: int = 0
    replies: list[tuple[str, str]] = field(default_factory=list)
    skipped: bool = False


def messenger_updates_poll(*, now: datetime.datetime | None = None) -> int:
    """Beat, every minute: every active notification bot's new messages; how many were read."""
    read = 0
    for channel_id in bots.notification_bots().values_list("pk", flat=True):
        read += bot_updates_poll(channel_id=channel_id, now=now).read
    return read


def bot_updates_poll(*, channel_id: int, now: datetime.datetime | None = None) -> PollResult:
    """One bot's new messages, by the poller that holds its state row; none when another
    poller holds it."""
    now = now or timezone.now()
    channel = bots.notification_bots().filter(pk=channel_id).first()
    if channel is None:
        return PollResult(skipped=True)
    state = bots.bot_state(channel)
    transport = bots.bot_transport(channel)
    result = PollResult()
    with transaction.atomic():
        locked = BotState.objects.select_for_update(skip_locked=True).filter(pk=state.pk).first()
        if locked is None:
            result.skipped = True
            return result  # another poller is reading this bot
        for _call in range(MAX_CALLS):
            updates = transport.get_updates(offset=locked.update_offset)
            if not isinstance(updates, list):
                _note(channel, updates, now)
                break
            if not updates:
                break
            for update in updates:
                result.read += 1
                reply = _read(channel, update, now, result)
                if reply:
                    result.replies.append((update.chat_id, reply))
            numbered = [update.update_id for update in updates if update.update_id is not None]
            if numbered:
                locked.update_offset = max(numbered) + 1
        locked.polled_at = now
        locked.save(update_fields=["update_offset", "polled_at"])
    for chat_id, reply in result.replies:
        outcome = transport.direct_message(chat_id=chat_id, text=reply)
        # Not retried: the link stands, the page shows it, and the person may send again.
        if not isinstance(outcome, Sent):
            logger.warning("notification bot %s: reply not sent: %s", channel.pk, outcome.error)
    return result


def _note(channel: Channel, outcome, now: datetime.datetime) -> None:
    logger.warning("notification bot %s: getUpdates: %s", channel.pk, outcome.error)
    if isinstance(outcome, Failed):
        # A refusal (a revoked token, a webhook set on the bot) needs the staff: shown on the
        # channel, as a commune channel's is.
        Channel.objects.unscoped().filter(pk=channel.pk).update(
            last_error=outcome.error, last_error_at=now
        )


def _read(channel: Channel, update: Update, now: datetime.datetime, result: PollResult) -> str:
    """The reply to one message, or "" for none (a group's message, no text)."""
    if not update.private or not update.chat_id or not update.text.strip():
        return ""
    text = update.text.strip()
    start = START.fullmatch(text)
    code = start["code"] if start else (text if CODE.fullmatch(text) else None)
    if code is None:
        with translation.override(settings.LANGUAGE_CODE):
            return _(
                "This bot sends the portal's notices. To receive them here, open “Notices on "
                "Telegram, Zalo” on the portal and follow the link it gives you."
            )
    answer = messenger_link_complete(channel=channel, chat_id=update.chat_id, code=code, now=now)
    result.linked += answer.linked
    return answer.reply
