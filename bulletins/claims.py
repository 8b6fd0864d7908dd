"""The claim protocol of a message sent through a platform from an outbox row: a delivery into
a village group (bulletins.sending) or a notice to a person's chat (messenger.sending).

A sender claims a row with a conditional UPDATE, so only the process that changed it sends. A
claim older than CLAIM_TIMEOUT is a sender that died mid-send: the row is taken up again, its
outcome counted as unknown; a row whose outcome stayed unknown UNKNOWN_RETRIES times is not
taken up again, and no row is tried more than MAX_ATTEMPTS times. Only the claim's owner
finishes it. Each outbox adds its own conditions (its pending status, a person still linked).
"""

from __future__ import annotations

import datetime

from django.db.models import Case, F, Model, Q, QuerySet, Value, When

# Longer than a send can take: a Zalo token renewal and the send, each within its timeout.
CLAIM_TIMEOUT = datetime.timedelta(minutes=5)
# docs/rules.md#delivery-text: no message is tried more than 5 times in all, whatever fails; one
# whose answer could not be read is retried at most twice.
MAX_ATTEMPTS = 5
UNKNOWN_RETRIES = 2
BACKOFF_FIRST_SECONDS = 30
BACKOFF_MAX_SECONDS = 3600


def claimable(now: datetime.datetime) -> Q:
    """Due, under the attempt cap, and held by no live sender; a dead sender's claim is taken
    over only while an unknown outcome may still be retried."""
    return (
        Q(attempts__lt=MAX_ATTEMPTS)
        & (Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        & (
            Q(claimed_at__isnull=True)
            | Q(claimed_at__lt=now - CLAIM_TIMEOUT, unknown_outcomes__lt=UNKNOWN_RETRIES)
        )
    )


def abandoned(pending: QuerySet, now: datetime.datetime) -> QuerySet:
    """The rows of `pending` whose sender died mid-send (a claim older than CLAIM_TIMEOUT) and
    that may not be taken up again: out of attempts, or out of retries of an unknown outcome.
    Their message may have gone out."""
    return pending.filter(claimed_at__lt=now - CLAIM_TIMEOUT).filter(
        Q(attempts__gte=MAX_ATTEMPTS) | Q(unknown_outcomes__gte=UNKNOWN_RETRIES)
    )


def claim_changes(now: datetime.datetime) -> dict:
    """The UPDATE that claims a claimable row: one attempt more, and a claim taken over from a
    dead sender counted as an unknown outcome."""
    return {
        "unknown_outcomes": F("unknown_outcomes")
        + Case(When(claimed_at__isnull=False, then=Value(1)), default=Value(0)),
        "claimed_at": now,
        "last_attempt_at": now,
        "attempts": F("attempts") + 1,
    }


def finish(row: Model, **changes) -> int:
    """Release the claim on `row` with `changes`, if it is still the claim this process took: a
    row taken over after a timeout has a new claimed_at. The rows changed (0 or 1)."""
    return (
        type(row)
        .objects.filter(pk=row.pk, claimed_at=row.claimed_at)
        .update(claimed_at=None, **changes)
    )


def backoff_seconds(attempts: int) -> float:
    """The wait before the next attempt, doubling from BACKOFF_FIRST_SECONDS up to
    BACKOFF_MAX_SECONDS."""
    return float(min(BACKOFF_FIRST_SECONDS * 2 ** max(attempts - 1, 0), BACKOFF_MAX_SECONDS))
