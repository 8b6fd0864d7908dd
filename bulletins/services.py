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
from bulletins import notices, selectors
from bulletins.models import EDITABLE_STATUSES, Bulletin, BulletinStatus
from bulletins.transitions import audit, move_bulletin, refuse_transition
from communes.models import Commune, Field, Village
from communes.wording import commune_title

TITLE_MAX = 200
SOURCE_MAX = 300


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
                "villages": _("Only villages of %(commune)s can be targeted.")
                % {"commune": commune_title(commune)}
            }
        )
    return villages


def clean_publish_at(publish_at: datetime.datetime | None) -> None:
    if publish_at is not None and publish_at <= timezone.now():
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
    audit(
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
    now = timezone.now()
    found = selectors.duplicates_of(bulletin, now=now)
    note = (
        _("Repeats bulletin(s) %(ids)s.") % {"ids": ", ".join(f"#{pk}" for pk in found)}
        if found
        else ""
    )
    bulletin = move_bulletin(
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
    notices.bulletin_submitted_notify(bulletin=bulletin, actor=actor)
    return bulletin


def require_leader(actor, bulletin: Bulletin) -> None:
    if not can_lead_bulletins(actor, bulletin.commune):
        raise PermissionDenied(
            _("Only a leader of the commune approves, rejects or publishes bulletins.")
        )


URGENT_REASON_MAX = 500


def _refuse_own_approval(
    *, bulletin: Bulletin, actor, urgent: bool, reason: str
) -> ValidationError | None:
    """Two people per bulletin (docs/rules.md#approval): why this approval is refused, or None."""
    own = bulletin.author_id == actor.pk
    if not own:
        if urgent:
            return ValidationError(
                {
                    "urgent": _(
                        "Only the author of a bulletin approves it as urgent; approve this "
                        "bulletin without marking it urgent."
                    )
                }
            )
        return None
    others = [u.get_full_name() or u.username for u in selectors.other_leaders(bulletin)]
    if others:
        message = (
            _(
                "Another leader of the commune (%(names)s) can approve this bulletin, so it "
                "cannot be approved as urgent by its author."
            )
            if urgent
            else _(
                "You wrote this bulletin: another leader of the commune (%(names)s) must "
                "approve it."
            )
        )
        return ValidationError(
            {"urgent" if urgent else "__all__": message % {"names": ", ".join(others)}}
        )
    if not urgent:
        return ValidationError(
            _(
                "You wrote this bulletin: another leader of the commune must approve it. The "
                "commune has no other active leader, so you may approve it only as urgent, "
                "saying why."
            )
        )
    if not reason:
        return ValidationError({"reason": _("Say why the bulletin is approved as urgent.")})
    if len(reason) > URGENT_REASON_MAX:
        return ValidationError(
            {
                "reason": _("The reason can have at most %(n)s characters.")
                % {"n": URGENT_REASON_MAX}
            }
        )
    return None


@transaction.atomic
def bulletin_approve(
    *,
    bulletin: Bulletin,
    actor,
    override_duplicate: bool = False,
    urgent: bool = False,
    reason: str = "",
) -> Bulletin:
    """A leader approves a submitted bulletin (docs/rules.md#approval). Two people per bulletin:
    its author never approves it, unless the commune has no other active leader, and then only
    as `urgent` with a reason, which is recorded. Duplicates are computed again now; approving
    one that repeats another without `override_duplicate` is refused, and an override is
    recorded."""
    require_leader(actor, bulletin)
    if bulletin.status != BulletinStatus.SUBMITTED:
        raise refuse_transition(bulletin, "approve")
    reason = (reason or "").strip() if urgent else ""
    refusal = _refuse_own_approval(bulletin=bulletin, actor=actor, urgent=urgent, reason=reason)
    if refusal is not None:
        raise refusal
    now = timezone.now()
    found = selectors.duplicates_of(bulletin, now=now)
    if found and not override_duplicate:
        raise ValidationError(
            {
                "override_duplicate": _(
                    "This bulletin repeats bulletin(s) %(ids)s of the last 14 days. Approve it "
                    "anyway only by confirming that it may repeat them."
                )
                % {"ids": ", ".join(f"#{pk}" for pk in found)}
            }
        )
    overridden = bool(found and override_duplicate)
    notes = []
    if urgent:
        notes.append(
            _("Approved as urgent by its author (the commune has no other leader): %(reason)s")
            % {"reason": reason}
        )
    if overridden:
        notes.append(
            _("Approved although it repeats bulletin(s) %(ids)s.")
            % {"ids": ", ".join(f"#{pk}" for pk in found)}
        )
    bulletin = move_bulletin(
        bulletin=bulletin,
        actor=actor,
        from_statuses=(BulletinStatus.SUBMITTED,),
        to_status=BulletinStatus.APPROVED,
        action="approve",
        note=" ".join(notes),
        approved_at=now,
        duplicate_of=found,
        duplicate_override=overridden,
        urgent=urgent,
        urgent_reason=reason,
    )
    notices.bulletin_approved_notify(bulletin=bulletin, actor=actor)
    return bulletin


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
    bulletin = move_bulletin(
        bulletin=bulletin,
        actor=actor,
        from_statuses=from_statuses,
        to_status=BulletinStatus.REJECTED,
        action="reject",
        note=reason,
    )
    notices.bulletin_rejected_notify(bulletin=bulletin, actor=actor, reason=reason)
    return bulletin
