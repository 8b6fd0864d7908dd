"""Writes of bulletins: drafting and the workflow draft → submitted → approved or rejected
(publishing, which turns a bulletin into deliveries, is bulletins.publishing; the commune's
channels bulletins.channels).

Each transition is one conditional UPDATE from the status it expects, so of two leaders acting
at once only one moves the bulletin; the other is told it has already moved. Each is audited
(BulletinTransition: who, when, from, to, note).
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bmp_comms.permissions import can_author_bulletins, can_lead_bulletins, is_commune_leader
from bulletins import checks as bulletin_checks
from bulletins import selectors
from bulletins.models import (
    EDITABLE_STATUSES,
    Bulletin,
    BulletinStatus,
    BulletinTransition,
)
from communes.models import Commune, Field, Village

TITLE_MAX = 200
SOURCE_MAX = 300


class TransitionConflict(ValidationError):
    """The bulletin is not (or no longer) in a status the action starts from."""


def _now() -> datetime.datetime:
    return timezone.now()


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


def _audit(
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
    now = _now()
    # Unscoped, here and below: the very row the caller holds, read again or locked.
    row = Bulletin.objects.unscoped().filter(pk=bulletin.pk)
    current = row.values_list("status", flat=True).first()
    moved = row.filter(status__in=from_statuses).update(status=to_status, updated_at=now, **changes)
    if not moved:
        bulletin.refresh_from_db()
        raise refuse_transition(bulletin, action)
    _audit(
        bulletin=bulletin,
        actor=actor,
        at=now,
        from_status=current or "",
        to_status=to_status,
        note=note,
    )
    bulletin.refresh_from_db()
    return bulletin


# --- drafting -------------------------------------------------------------------------------


def _clean_text(
    *, commune: Commune, title: str, body: str, source: str, field: Field | str | None
) -> tuple[str, str, str, Field]:
    errors: dict[str, list[str]] = {}
    title, body, source = (title or "").strip(), (body or "").strip(), (source or "").strip()
    if not title:
        errors["title"] = [_("Give the bulletin a title.")]
    elif len(title) > TITLE_MAX:
        errors["title"] = [_("The title can have at most %(n)s characters.") % {"n": TITLE_MAX}]
    if not body:
        errors["body"] = [_("Write the text of the bulletin.")]
    if len(source) > SOURCE_MAX:
        errors["source"] = [_("The source can have at most %(n)s characters.") % {"n": SOURCE_MAX}]
    found = None
    if isinstance(field, Field):
        found = field
    elif field:
        found = Field.objects.filter(code=field).first()
    if found is None:
        errors["field"] = (
            [_("Unknown field “%(code)s”.") % {"code": field}]
            if field
            else [_("Choose the field of the bulletin.")]
        )
    if errors:
        raise ValidationError(errors)
    return title, body, source, found


def _clean_villages(*, commune: Commune, villages) -> list[Village]:
    villages = list(villages or [])
    outside = [v for v in villages if v.commune_id != commune.pk]
    if outside:
        raise ValidationError(
            {
                "villages": _("Only villages of commune %(name)s can be targeted.")
                % {"name": commune.name}
            }
        )
    return villages


def clean_publish_at(publish_at: datetime.datetime | None) -> None:
    if publish_at is not None and publish_at <= _now():
        raise ValidationError({"publish_at": _("The publishing time must be in the future.")})


@transaction.atomic
def bulletin_create(
    *,
    commune: Commune,
    author,
    field: Field | str | None,
    title: str,
    body: str,
    source: str = "",
    villages=(),
    publish_at: datetime.datetime | None = None,
) -> Bulletin:
    """A draft by a user of the commune (docs/rules.md#drafting: district staff do not author
    bulletins). No villages named means all villages of the commune."""
    if not can_author_bulletins(author, commune):
        raise PermissionDenied(_("Only the commune's officers and leaders write its bulletins."))
    title, body, source, found = _clean_text(
        commune=commune, title=title, body=body, source=source, field=field
    )
    villages = _clean_villages(commune=commune, villages=villages)
    clean_publish_at(publish_at)
    bulletin = Bulletin.objects.create(
        commune=commune,
        author=author,
        field=found,
        title=title,
        body=body,
        source=source,
        publish_at=publish_at,
    )
    bulletin.villages.set(villages)
    _audit(
        bulletin=bulletin,
        actor=author,
        at=bulletin.created_at,
        from_status="",
        to_status=BulletinStatus.DRAFT,
    )
    return bulletin


UNSET = object()


@transaction.atomic
def bulletin_update(
    *,
    bulletin: Bulletin,
    actor,
    field: Field | str | None = UNSET,
    title: str = UNSET,
    body: str = UNSET,
    source: str = UNSET,
    villages=UNSET,
    publish_at: datetime.datetime | None = UNSET,
) -> Bulletin:
    """Any user of the commune edits a draft until it is submitted, and a rejected bulletin
    before submitting it again (docs/rules.md#drafting). Arguments left out keep their value."""
    if not can_author_bulletins(actor, bulletin.commune):
        raise PermissionDenied(_("Only the commune's officers and leaders write its bulletins."))
    # The row lock holds the status still while the edit is saved: a submit arriving at the
    # same moment waits, then finds the edited text.
    locked = Bulletin.objects.unscoped().select_for_update().get(pk=bulletin.pk)
    if locked.status not in EDITABLE_STATUSES:
        raise refuse_transition(locked, "edit")
    title, body, source, found = _clean_text(
        commune=locked.commune,
        title=locked.title if title is UNSET else title,
        body=locked.body if body is UNSET else body,
        source=locked.source if source is UNSET else source,
        field=locked.field if field is UNSET else field,
    )
    if publish_at is not UNSET:
        clean_publish_at(publish_at)
        locked.publish_at = publish_at
    if villages is not UNSET:
        locked.villages.set(_clean_villages(commune=locked.commune, villages=villages))
    locked.title, locked.body, locked.source, locked.field = title, body, source, found
    locked.save()
    return locked


# --- the workflow ---------------------------------------------------------------------------


def may_submit(user, bulletin: Bulletin) -> bool:
    if is_commune_leader(user, bulletin.commune):
        return True
    officer = selectors.responsible_officer(bulletin)
    return officer is not None and officer.user_id == user.pk


def _refuse_submitter(bulletin: Bulletin) -> PermissionDenied:
    officer = selectors.responsible_officer(bulletin)
    if officer is None:
        return PermissionDenied(
            _(
                "The field “%(field)s” has no responsible officer in this commune: only a "
                "leader of the commune may submit this bulletin."
            )
            % {"field": bulletin.field.name}
        )
    return PermissionDenied(
        _(
            "Only the officer responsible for “%(field)s”, %(officer)s, or a leader of the "
            "commune may submit this bulletin."
        )
        % {"field": bulletin.field.name, "officer": officer.full_name}
    )


@transaction.atomic
def bulletin_submit(*, bulletin: Bulletin, actor) -> Bulletin:
    """Submit a draft (or a rejected bulletin) for approval. Only the officer assigned to its
    field, or a leader of the commune, may (403 naming the officer); a bulletin failing a check
    cannot be (400 under `body` or `source`, naming the check). Duplicates are flagged, not
    refused: the leader decides at approval."""
    # The row as it is now, locked: an edit saved at the same moment either lands before this
    # read (and is what gets checked) or waits until the submission is done.
    bulletin.refresh_from_db(
        from_queryset=Bulletin.objects.unscoped().select_for_update(of=("self",))
    )
    if not may_submit(actor, bulletin):
        raise _refuse_submitter(bulletin)
    if bulletin.status not in EDITABLE_STATUSES:
        raise refuse_transition(bulletin, "submit")
    errors = bulletin_checks.check_messages(bulletin_checks.bulletin_checks(bulletin))
    if errors:
        raise ValidationError(errors)
    now = _now()
    found = selectors.duplicates_of(bulletin, now=now)
    note = (
        _("Repeats bulletin(s) %(ids)s.") % {"ids": ", ".join(f"#{pk}" for pk in found)}
        if found
        else ""
    )
    return move_bulletin(
        bulletin=bulletin,
        actor=actor,
        from_statuses=EDITABLE_STATUSES,
        to_status=BulletinStatus.SUBMITTED,
        action="submit",
        note=note,
        submitted_at=now,
        duplicate_of=found,
        duplicate_override=False,
    )


def require_leader(actor, bulletin: Bulletin) -> None:
    if not can_lead_bulletins(actor, bulletin.commune):
        raise PermissionDenied(
            _("Only a leader of the commune approves, rejects or publishes bulletins.")
        )


@transaction.atomic
def bulletin_approve(*, bulletin: Bulletin, actor, override_duplicate: bool = False) -> Bulletin:
    """A leader approves a submitted bulletin. Duplicates are computed again now; approving one
    that repeats another without `override_duplicate` is refused, and an override is recorded."""
    require_leader(actor, bulletin)
    if bulletin.status != BulletinStatus.SUBMITTED:
        raise refuse_transition(bulletin, "approve")
    now = _now()
    found = selectors.duplicates_of(bulletin, now=now)
    if found and not override_duplicate:
        raise ValidationError(
            {
                "override_duplicate": _(
                    "This bulletin repeats bulletin(s) %(ids)s of the last 14 days. Approve it "
                    "anyway only with override_duplicate: true."
                )
                % {"ids": ", ".join(f"#{pk}" for pk in found)}
            }
        )
    overridden = bool(found and override_duplicate)
    note = (
        _("Approved although it repeats bulletin(s) %(ids)s.")
        % {"ids": ", ".join(f"#{pk}" for pk in found)}
        if overridden
        else ""
    )
    return move_bulletin(
        bulletin=bulletin,
        actor=actor,
        from_statuses=(BulletinStatus.SUBMITTED,),
        to_status=BulletinStatus.APPROVED,
        action="approve",
        note=note,
        approved_at=now,
        duplicate_of=found,
        duplicate_override=overridden,
    )


@transaction.atomic
def bulletin_reject(*, bulletin: Bulletin, actor, reason: str) -> Bulletin:
    """A leader sends a submitted (or approved, not yet published) bulletin back, with a
    reason; its author may edit it and submit it again."""
    require_leader(actor, bulletin)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the bulletin is rejected.")})
    from_statuses = (BulletinStatus.SUBMITTED, BulletinStatus.APPROVED, BulletinStatus.SCHEDULED)
    if bulletin.status not in from_statuses:
        raise refuse_transition(bulletin, "reject")
    return move_bulletin(
        bulletin=bulletin,
        actor=actor,
        from_statuses=from_statuses,
        to_status=BulletinStatus.REJECTED,
        action="reject",
        note=reason,
    )
