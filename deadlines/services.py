"""Writes of deadlines, submissions and inspections.

The reminder job is in `deadlines.reminders` and the email outbox in `deadlines.outbox`; they are
re-exported here so that every write of the app is reached as `deadlines.services.<entity>_<action>`
(queueing them is `deadlines.tasks`' business).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from bmp_comms.dates import local_today
from bmp_comms.permissions import is_commune_user
from bmp_comms.updates import UNCHANGED, Unchanged, apply_changes
from bmp_comms.validation import validate_not_future, validate_planned
from communes.models import Commune, District
from communes.wording import commune_title, unit_params
from deadlines.attachments import validate_attachment
from deadlines.models import Deadline, Inspection, Submission
from deadlines.outbox import (  # noqa: F401  (re-exported services)
    escalation_digest_send,
    reminder_email_send,
    reminder_emails_requeue,
)
from deadlines.reminders import JobResult, reminders_send_due  # noqa: F401  (re-exported)


@transaction.atomic
def deadline_create(
    *,
    district: District,
    title: str,
    due_date: datetime.date,
    directive: str = "",
    description: str = "",
    communes: Iterable[Commune] | None = None,
    created_by=None,
    inspection: Inspection | None = None,
) -> Deadline:
    """A deadline of the district (D5). It covers the communes named, or every commune of the
    district when none are; a commune of another district is refused."""
    deadline = Deadline(
        district=district,
        title=(title or "").strip(),
        directive=(directive or "").strip(),
        due_date=due_date,
        description=description or "",
        created_by=created_by,
        inspection=inspection,
    )
    validate_planned(due_date, "due_date")
    deadline.full_clean(exclude=["created_by"])
    chosen = list(communes) if communes else list(district.communes.all())
    outside = [commune.name for commune in chosen if commune.district_id != district.pk]
    if outside:
        raise ValidationError({"communes": not_in_unit(district, outside)})
    if not chosen:
        message = _("The %(unit)s has no commune to cover yet.") % unit_params(district)
        raise ValidationError({"communes": capfirst(message)})
    deadline.save()
    deadline.communes.set(chosen)
    return deadline


def _validate_closed_on(closed_on: datetime.date | None) -> None:
    # Closing records a decision already taken: a date ahead would stop the reminders later
    # without anyone deciding it then. A day in the past is fine (closing is often recorded late).
    if closed_on is not None and closed_on > local_today():
        raise ValidationError({"closed_on": _("A deadline cannot be closed on a future day.")})


@transaction.atomic
def deadline_update(
    *,
    deadline: Deadline,
    communes: Iterable[Commune] | None = None,
    title: str | Unchanged = UNCHANGED,
    directive: str | Unchanged = UNCHANGED,
    due_date: datetime.date | Unchanged = UNCHANGED,
    description: str | Unchanged = UNCHANGED,
    closed_on: datetime.date | Unchanged | None = UNCHANGED,
) -> Deadline:
    """Correct a deadline's text or due date, or the communes it covers, or close it. A commune
    that has already submitted stays covered: dropping it would erase its report from the rates.

    `closed_on` (district staff's decision, docs/rules.md#closing-a-deadline "Reminders"): no
    reminder from that day on; it cannot be a future day; None reopens the deadline, and its
    reminders go on by the rules.
    """
    texts = {"title": title, "directive": directive, "description": description}
    apply_changes(
        deadline,
        {name: value.strip() if isinstance(value, str) else value for name, value in texts.items()},
    )
    if due_date is not UNCHANGED:
        validate_planned(due_date, "due_date")
        deadline.due_date = due_date
    if closed_on is not UNCHANGED:
        _validate_closed_on(closed_on)
        deadline.closed_on = closed_on
    deadline.full_clean(exclude=["created_by"])
    if communes is not None:
        chosen = list(communes) or list(deadline.district.communes.all())
        outside = [c.name for c in chosen if c.district_id != deadline.district_id]
        if outside:
            raise ValidationError({"communes": not_in_unit(deadline.district, outside)})
        kept = {commune.pk for commune in chosen}
        submitted = deadline.submissions.exclude(commune_id__in=kept).select_related("commune")
        dropped = [submission.commune.name for submission in submitted]
        if dropped:
            raise ValidationError(
                {
                    "communes": _("These communes have already submitted: %s.")
                    % ", ".join(sorted(dropped))
                }
            )
        deadline.communes.set(chosen)
    deadline.save()
    return deadline


def deadline_close(*, deadline: Deadline, closed_on: datetime.date | None) -> Deadline:
    """Close a deadline from `closed_on` on (None reopens it); see `deadline_update`."""
    return deadline_update(deadline=deadline, closed_on=closed_on)


@transaction.atomic
def submission_submit(
    *,
    actor,
    deadline: Deadline,
    commune: Commune,
    note: str | None = None,
    attachment: File | None = None,
) -> tuple[Submission, bool]:
    """A commune reports completion of a deadline (D5). Returns (submission, created).

    Only the commune's own officers and leaders submit for it (district staff do not). One
    submission per commune and deadline: a resubmission keeps the first `submitted_at`, which
    decides "on time" (docs/rules.md#on-time: ≤ 23:59:59 Asia/Ho_Chi_Minh on the due date),
    replaces the note and, when a new one is given, the attachment; the history keeps every version.
    """
    if not is_commune_user(actor):
        raise PermissionDenied(_("Only a commune's own officers and leaders submit its reports."))
    if actor.profile.commune_id != commune.pk:
        raise ValidationError({"commune": _("You may only submit for your own commune.")})
    if not deadline.communes.filter(pk=commune.pk).exists():
        raise ValidationError(
            {
                "commune": _("This deadline does not cover %(commune)s.")
                % {"commune": commune_title(commune)}
            }
        )
    if attachment:
        validate_attachment(attachment)

    submission = deadline.submissions.select_for_update().filter(commune=commune).first()
    created = submission is None
    if created:
        submission = Submission(
            deadline=deadline,
            commune=commune,
            submitted_at=timezone.now(),
            note=note or "",
            submitted_by=actor,
        )
        if attachment:
            submission.attachment = attachment
        submission._history_user = actor
        try:
            with transaction.atomic():
                submission.save()
            return submission, True
        except IntegrityError:
            # Another request of the same commune got there first: this one is a resubmission.
            submission = deadline.submissions.select_for_update().get(commune=commune)
    if note is not None:
        submission.note = note
    if attachment:
        submission.attachment = attachment
    submission._history_user = actor
    submission.save()
    return submission, False


def not_in_unit(district, names: list[str]) -> str:
    return _("Not a commune of your %(unit)s: %(communes)s.") % {
        **unit_params(district),
        "communes": ", ".join(names),
    }


def _follow_up_title(inspection: Inspection) -> str:
    # Stored data, not interface text: always in the site's language, whoever records it.
    with translation.override(settings.LANGUAGE_CODE):
        return _("Follow-up of the inspection of %(date)s") % {
            "date": inspection.date.strftime("%d/%m/%Y")
        }


@transaction.atomic
def inspection_record(
    *,
    actor,
    commune: Commune,
    date: datetime.date,
    inspector: str,
    findings: str,
    follow_up_due: datetime.date | None = None,
) -> Inspection:
    """Phòng VH-TT inspects a commune (D9). A follow-up due date becomes a deadline for that
    commune alone, reminded like any other; it cannot come before the inspection."""
    validate_not_future(date, "date")
    validate_planned(follow_up_due, "follow_up_due")
    if follow_up_due is not None and date is not None and follow_up_due < date:
        raise ValidationError(
            {"follow_up_due": _("The follow-up cannot be due before the inspection.")}
        )
    inspection = Inspection(
        commune=commune,
        date=date,
        inspector=(inspector or "").strip(),
        findings=(findings or "").strip(),
        follow_up_due=follow_up_due,
        created_by=actor,
    )
    inspection.full_clean(exclude=["created_by"])
    inspection._history_user = actor
    inspection.save()
    if follow_up_due is not None:
        deadline_create(
            district=commune.district,
            title=_follow_up_title(inspection),
            due_date=follow_up_due,
            description=inspection.findings,
            communes=[commune],
            created_by=actor,
            inspection=inspection,
        )
    return inspection
