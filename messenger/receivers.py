"""A notice created on a floor below is sent to its recipient's linked chats: the receiver of
notifications_created (sent once the notices are committed) queues the sending task on commit,
and only when one of the recipients has linked a chat, so a notice nobody gets as a message
costs no task. A task lost on the way is made up for by beat (tasks.send_due_direct_messages).
"""

from __future__ import annotations

from django.db import transaction

from messenger.models import MessengerLink
from messenger.tasks import send_notices
from notifications.signals import notifications_created


def queue_direct_messages(sender, ids, **kwargs) -> None:
    ids = list(ids or [])
    if not ids or not MessengerLink.objects.filter(user__notifications__pk__in=ids).exists():
        return
    # Robust: with the broker down the notices stand, and beat's sweep sends them.
    transaction.on_commit(lambda: send_notices.delay(ids), robust=True)


def connect() -> None:
    notifications_created.connect(queue_direct_messages, dispatch_uid="messenger-direct-messages")
