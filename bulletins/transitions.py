"""The workflow's one way of moving a bulletin: a conditional UPDATE from the status it expects,
audited (BulletinTransition: who, when, from, to, note). Of two leaders acting at once only one
moves the bulletin; the other is told it has already moved."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from bulletins.models import Bulletin, BulletinStatus, BulletinTransition


class TransitionConflict(ValidationError):
    """The bulletin is not (or no longer) in a status the action starts from."""


def _status_label(status: str) -> str:
    return str(BulletinStatus(status).label)


def refuse_transition(bulletin: Bulletin, action: str) -> TransitionConflict:
    messages = {
        "edit": _("This bulletin is “%(status)s”: it cannot be edited now."),
        "submit": _("This bulletin is “%(status)s”: it cannot be submitted now."),
        "approve": _("This bulletin is “%(status)s”: it cannot be approved now."),
        "reject": _("This bulletin is “%(status)s”: it cannot be rejected now."),
        "publish": _("This bulletin is “%(status)s”: it cannot be published now."),
        "schedule": _("This bulletin is “%(status)s”: it cannot be scheduled now."),
    }
    return TransitionConflict(
        {"status": messages[action] % {"status": _status_label(bulletin.status).lower()}}
    )


def audit(
    *, bulletin: Bulletin, actor, at, from_status: str, to_status: str, note: str = ""
) -> BulletinTransition:
    return BulletinTransition.objects.create(
        bulletin=bulletin,
        actor=actor,
        at=at,
        from_status=from_status,
        to_status=to_status,
        note=note,
    )


def move_bulletin(
    *,
    bulletin: Bulletin,
    actor,
    from_statuses: tuple[str, ...],
    to_status: str,
    action: str,
    note: str = "",
    **changes,
) -> Bulletin:
    """The conditional UPDATE every transition makes: it changes the row only if it is still in
    one of `from_statuses`; whoever changed no row lost the race and is refused."""
    now = timezone.now()
    # Unscoped, here and below: the very row the caller holds, read again or locked.
    row = Bulletin.objects.unscoped().filter(pk=bulletin.pk)
    current = row.values_list("status", flat=True).first()
    moved = row.filter(status__in=from_statuses).update(status=to_status, updated_at=now, **changes)
    if not moved:
        bulletin.refresh_from_db()
        raise refuse_transition(bulletin, action)
    audit(
        bulletin=bulletin,
        actor=actor,
        at=now,
        from_status=current or "",
        to_status=to_status,
        note=note,
    )
    bulletin.refresh_from_db()
    return bulletin
