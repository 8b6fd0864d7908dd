"""Queueing that survives a broker outage: pages keep working, the work waits for a sweep."""

import logging

from django.db import transaction

logger = logging.getLogger(__name__)


def enqueue_on_commit(task, *args, **kwargs) -> None:
    """Queue `task` once the current transaction commits; if the broker is down, log it and
    go on — the row that describes the work is already saved, and a periodic sweep picks it
    up, so a user's request never fails because of the broker."""

    def send() -> None:
        try:
            task.apply_async(args=args, kwargs=kwargs)
        except Exception:  # kombu raises several types for an unreachable broker
            logger.warning("broker down; %s waits for the next sweep", task.name, exc_info=True)

    transaction.on_commit(send)
