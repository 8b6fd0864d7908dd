"""Writes of bulletins: drafting, the workflow draft → submitted → approved → (scheduled →)
published or rejected, publishing into deliveries, confirming a post made by hand, and the
commune's channels.

Each transition is one conditional UPDATE from the status it expects, so of two leaders acting
at once only one moves the bulletin; the other is told it has already moved. Each is audited
(BulletinTransition: who, when, from, to, note).
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from bmp_comms.permissions import can_author_bulletins, can_lead_bulletins, is_commune_leader
from bmp_comms.validation import integrity_as_validation, web_url_validator
from bulletins import checks as bulletin_checks
from bulletins import outbox, transports
from bulletins.models import (
    DUPLICATE_SOURCE_STATUSES,
    EDITABLE_STATUSES,
    Bulletin,
    BulletinStatus,
    BulletinTransition,
    Channel,
    ChannelKind,
    Delivery,
    DeliveryStatus,
)
from bulletins.similarity import repeated
from communes.models import Commune, Field, FieldAssignment, Village
from groups.models import GroupStatus, MessagingGroup

DUPLICATE_WINDOW = datetime.timedelta(days=14)
TITLE_MAX = 200
SOURCE_MAX = 300


class TransitionConflict(ValidationError):
    """The bulletin is not (or no longer) in a status the action starts from."""


def _now() -> datetime.datetime:
    return timezone.now()


def _status_label(status: str) -> str:
    return str(BulletinStatus(status).label)


def _refuse_transition(bulletin: Bulletin, action: str) -> TransitionConflict:
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


def _move(
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
        raise _refuse_transition(bulletin, action)
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


def _clean_publish_at(publish_at: datetime.datetime | None) -> None:
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
    _clean_publish_at(publish_at)
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
        raise _refuse_transition(locked, "edit")
    title, body, source, found = _clean_text(
        commune=locked.commune,
        title=locked.title if title is UNSET else title,
        body=locked.body if body is UNSET else body,
        source=locked.source if source is UNSET else source,
        field=locked.field if field is UNSET else field,
    )
    if publish_at is not UNSET:
        _clean_publish_at(publish_at)
        locked.publish_at = publish_at
    if villages is not UNSET:
        locked.villages.set(_clean_villages(commune=locked.commune, villages=villages))
    locked.title, locked.body, locked.source, locked.field = title, body, source, found
    locked.save()
    return locked


# --- the workflow ---------------------------------------------------------------------------


def responsible_officer(bulletin: Bulletin):
    """The officer assigned to the bulletin's field in its commune, or None."""
    # Unscoped: the bulletin's own commune, whoever asks (the reviewer, a job).
    assignment = (
        FieldAssignment.objects.unscoped()
        .filter(commune_id=bulletin.commune_id, field_id=bulletin.field_id)
        .select_related("officer")
        .first()
    )
    return assignment.officer if assignment else None


def may_submit(user, bulletin: Bulletin) -> bool:
    if is_commune_leader(user, bulletin.commune):
        return True
    officer = responsible_officer(bulletin)
    return officer is not None and officer.user_id == user.pk


def _refuse_submitter(bulletin: Bulletin) -> PermissionDenied:
    officer = responsible_officer(bulletin)
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


def duplicates_of(bulletin: Bulletin, *, now: datetime.datetime | None = None) -> list[int]:
    """The commune's bulletins of the 14 days before that this one repeats (≥ 0.6 similarity
    over title and body): submitted, approved, scheduled or published, by another author
    (docs/rules.md#duplicates). Drafts and rejected ones do not count."""
    since = (now or _now()) - DUPLICATE_WINDOW
    # Unscoped: the bulletin's own commune, whoever submits it.
    candidates = (
        Bulletin.objects.unscoped()
        .filter(commune_id=bulletin.commune_id, status__in=DUPLICATE_SOURCE_STATUSES)
        .filter(Q(submitted_at__gte=since) | Q(approved_at__gte=since) | Q(published_at__gte=since))
        .exclude(pk=bulletin.pk)
        .exclude(author_id=bulletin.author_id)
        .values_list("pk", "title", "body")
    )
    return repeated((bulletin.title, bulletin.body), list(candidates))


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
        raise _refuse_transition(bulletin, "submit")
    errors = bulletin_checks.check_messages(bulletin_checks.bulletin_checks(bulletin))
    if errors:
        raise ValidationError(errors)
    now = _now()
    found = duplicates_of(bulletin, now=now)
    note = (
        _("Repeats bulletin(s) %(ids)s.") % {"ids": ", ".join(f"#{pk}" for pk in found)}
        if found
        else ""
    )
    return _move(
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


def _require_leader(actor, bulletin: Bulletin) -> None:
    if not can_lead_bulletins(actor, bulletin.commune):
        raise PermissionDenied(
            _("Only a leader of the commune approves, rejects or publishes bulletins.")
        )


@transaction.atomic
def bulletin_approve(*, bulletin: Bulletin, actor, override_duplicate: bool = False) -> Bulletin:
    """A leader approves a submitted bulletin. Duplicates are computed again now; approving one
    that repeats another without `override_duplicate` is refused, and an override is recorded."""
    _require_leader(actor, bulletin)
    if bulletin.status != BulletinStatus.SUBMITTED:
        raise _refuse_transition(bulletin, "approve")
    now = _now()
    found = duplicates_of(bulletin, now=now)
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
    return _move(
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
    _require_leader(actor, bulletin)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the bulletin is rejected.")})
    from_statuses = (BulletinStatus.SUBMITTED, BulletinStatus.APPROVED, BulletinStatus.SCHEDULED)
    if bulletin.status not in from_statuses:
        raise _refuse_transition(bulletin, "reject")
    return _move(
        bulletin=bulletin,
        actor=actor,
        from_statuses=from_statuses,
        to_status=BulletinStatus.REJECTED,
        action="reject",
        note=reason,
    )


def target_groups(bulletin: Bulletin):
    """The active groups of the targeted villages, all of the commune's when none are named."""
    # Unscoped: the bulletin's own commune, whoever publishes it (a leader, the beat job).
    groups = MessagingGroup.objects.unscoped().filter(
        village__commune_id=bulletin.commune_id, status=GroupStatus.ACTIVE
    )
    village_ids = list(bulletin.villages.values_list("pk", flat=True))
    if village_ids:
        groups = groups.filter(village_id__in=village_ids)
    return groups.order_by("pk")


def _create_deliveries(bulletin: Bulletin, now: datetime.datetime) -> list[Delivery]:
    """One delivery per target group: through the commune's active channel of the group's
    platform when the group has a `channel_id`, else awaiting an officer's confirmation."""
    # Unscoped: the channels of the bulletin's own commune.
    active = set(
        Channel.objects.unscoped()
        .filter(commune_id=bulletin.commune_id, active=True)
        .values_list("platform", flat=True)
    )
    deliveries = []
    for group in target_groups(bulletin):
        automatic = bool(group.channel_id) and group.platform in active
        deliveries.append(
            Delivery(
                bulletin=bulletin,
                group=group,
                channel=ChannelKind(group.platform) if automatic else ChannelKind.MANUAL,
                status=(
                    DeliveryStatus.PENDING if automatic else DeliveryStatus.AWAITING_CONFIRMATION
                ),
                next_attempt_at=now if automatic else None,
            )
        )
    return Delivery.objects.bulk_create(deliveries)


def _publish(bulletin: Bulletin, *, actor, from_statuses: tuple[str, ...]) -> Bulletin:
    """Publish, create the deliveries, and queue the automatic ones' sending for the commit."""
    now = _now()
    bulletin = _move(
        bulletin=bulletin,
        actor=actor,
        from_statuses=from_statuses,
        to_status=BulletinStatus.PUBLISHED,
        action="publish",
        published_at=now,
    )
    _create_deliveries(bulletin, now)
    outbox.deliveries_queue_on_commit(
        bulletin.deliveries.filter(status=DeliveryStatus.PENDING)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    return bulletin


@transaction.atomic
def bulletin_publish(
    *, bulletin: Bulletin, actor, publish_at: datetime.datetime | None = None
) -> Bulletin:
    """A leader publishes an approved bulletin now, or schedules it for `publish_at` (or the
    time the draft asked for) when that is later; beat publishes it then. Publishing creates the
    deliveries and queues the automatic ones, sent once the transaction commits."""
    _require_leader(actor, bulletin)
    if bulletin.status not in (BulletinStatus.APPROVED, BulletinStatus.SCHEDULED):
        raise _refuse_transition(bulletin, "publish")
    if publish_at is not None:
        _clean_publish_at(publish_at)
    when = publish_at or bulletin.publish_at
    if when is not None and when > _now():
        return _move(
            bulletin=bulletin,
            actor=actor,
            from_statuses=(BulletinStatus.APPROVED, BulletinStatus.SCHEDULED),
            to_status=BulletinStatus.SCHEDULED,
            action="schedule",
            note=_("To be published at %(when)s.")
            % {"when": timezone.localtime(when).strftime("%H:%M %d/%m/%Y")},
            publish_at=when,
        )
    return _publish(
        bulletin, actor=actor, from_statuses=(BulletinStatus.APPROVED, BulletinStatus.SCHEDULED)
    )


def bulletins_publish_due(*, now: datetime.datetime | None = None) -> list[int]:
    """Publish the scheduled bulletins whose time has come (beat, every minute). Each is its
    own transaction and its own conditional UPDATE, so two runs at once publish each once."""
    now = now or _now()
    published = []
    due = Bulletin.objects.filter(status=BulletinStatus.SCHEDULED, publish_at__lte=now)
    for bulletin in due.order_by("publish_at", "pk"):
        try:
            with transaction.atomic():
                _publish(bulletin, actor=None, from_statuses=(BulletinStatus.SCHEDULED,))
        except TransitionConflict:
            continue  # another run, or a leader, got there first
        published.append(bulletin.pk)
    return published


# --- deliveries posted by hand ----------------------------------------------------------------


@transaction.atomic
def delivery_confirm(*, delivery: Delivery, actor, posted_url: str) -> Delivery:
    """An officer of the commune confirms a post made by hand with the post's link (http or
    https). A failed automatic delivery may be posted by hand and confirmed too."""
    if not can_author_bulletins(actor, delivery.bulletin.commune):
        raise PermissionDenied(_("Only the commune's officers and leaders confirm its posts."))
    posted_url = (posted_url or "").strip()
    if not posted_url:
        raise ValidationError({"posted_url": _("Give the link to the post in the group.")})
    try:
        web_url_validator(posted_url)
    except ValidationError as exc:
        raise ValidationError({"posted_url": exc.messages}) from exc
    now = _now()
    confirmed = (
        Delivery.objects.unscoped()
        .filter(
            pk=delivery.pk,
            status__in=(DeliveryStatus.AWAITING_CONFIRMATION, DeliveryStatus.FAILED),
        )
        .update(
            status=DeliveryStatus.CONFIRMED,
            posted_url=posted_url,
            confirmed_by=actor,
            sent_at=now,
            claimed_at=None,
        )
    )
    delivery.refresh_from_db()
    if not confirmed:
        raise ValidationError(
            {
                "status": _("This delivery is %(status)s; there is nothing to confirm.")
                % {"status": delivery.get_status_display().lower()}
            }
        )
    return delivery


# --- channels ---------------------------------------------------------------------------------


@transaction.atomic
def channel_connect(
    *, commune: Commune, platform: str, credentials, active: bool = True
) -> Channel:
    """Connect the commune's bot (Telegram) or Official Account (Zalo): one per platform."""
    cleaned = transports.clean_credentials(platform, credentials)
    channel = Channel(commune=commune, platform=platform, active=active)
    channel.credentials = cleaned
    with integrity_as_validation(
        "platform", lambda: _("The commune already has a channel on this platform.")
    ):
        if commune.channels.filter(platform=platform).exists():
            raise ValidationError(
                {"platform": _("The commune already has a channel on this platform.")}
            )
        channel.save()
    return channel


@transaction.atomic
def channel_update(*, channel: Channel, credentials=None, active: bool | None = None) -> Channel:
    """New credentials replace the old ones whole (and clear the last error); `active` turns
    automatic sending on or off."""
    channel = Channel.objects.unscoped().select_for_update().get(pk=channel.pk)
    if credentials is not None:
        channel.credentials = transports.clean_credentials(channel.platform, credentials)
        channel.last_error = ""
        channel.last_error_at = None
    if active is not None:
        channel.active = active
    channel.save()
    return channel
