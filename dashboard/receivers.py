"""Every write that may change a commune's figures of past days deletes their snapshots, in its
own transaction (dashboard.snapshots).

Model signals, not calls from the services: the writes live on floors below the dashboard,
and the admin site and history reverts save without the services. A bulk write, which sends
no model signal, sends communes.signals.figures_changed.

- a member or Bluzone count changes its commune's days from its date on (both its old and its
  new date and commune, when an edit moves it);
- a village or a group changes every day of its commune (the old and the new one when it
  moves): each day's figures read sizes, status and dates as they are now.

The receivers run unscoped: they read a row's stored commune and delete snapshots by commune id,
whoever saved the row (a page, a job, the admin site).
"""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models.signals import post_delete, post_save, pre_save

from bmp_comms.scoping import unscoped
from communes.models import BluzoneCount, DatedCount, Village
from communes.signals import figures_changed
from dashboard.snapshots import snapshots_invalidate
from dashboard.tasks import queue_fill
from groups.models import MemberCount, MessagingGroup

SOURCES: tuple[type[models.Model], ...] = (Village, MessagingGroup, MemberCount, BluzoneCount)
# Where a saved row keeps the commune and date it had before, for its post_save.
PREVIOUS = "_snapshot_previous"


def _scope_and_since(model: type[models.Model]) -> tuple[str, str | None]:
    """The lookup from the row to its commune's id, and its date field (None: every date)."""
    if issubclass(model, DatedCount):
        return f"{model.commune_scope}_id", "date"
    return f"{model.commune_scope}_id", None


def _stored(model: type[models.Model], pk) -> tuple[int | None, datetime.date | None]:
    scope, since = _scope_and_since(model)
    fields = [scope, since] if since else [scope]
    row = model._default_manager.filter(pk=pk).values_list(*fields).first()
    if row is None:
        return None, None
    return row[0], (row[1] if since else None)


@unscoped()
def _remember_previous(sender, instance, raw=False, **kwargs) -> None:
    if raw or instance._state.adding or instance.pk is None:
        return
    setattr(instance, PREVIOUS, _stored(sender, instance.pk))


def _commune_of(model: type[models.Model], instance) -> int | None:
    """The commune of a row, from the row itself (a village) or through its owner (a group, a
    count), whose row is still there when a cascade deletes the row."""
    scope, _since = _scope_and_since(model)
    owner_field, _, rest = scope.partition("__")
    if not rest:
        return getattr(instance, scope)
    owner_model = model._meta.get_field(owner_field).related_model
    return (
        owner_model._default_manager.filter(pk=getattr(instance, f"{owner_field}_id"))
        .values_list(rest, flat=True)
        .first()
    )


def _day(value) -> datetime.date:
    """A row's date as saved: a date, or the ISO text a caller may set before Django converts
    it (the row is saved with it all the same)."""
    return datetime.date.fromisoformat(value) if isinstance(value, str) else value


def _invalidate(model: type[models.Model], instance, previous=(None, None)) -> None:
    _scope, since_field = _scope_and_since(model)
    previous_commune, previous_date = previous
    dates = (
        [_day(d) for d in (getattr(instance, since_field, None), previous_date) if d]
        if since_field
        else []
    )
    snapshots_invalidate(
        commune_ids=[_commune_of(model, instance), previous_commune],
        since=min(dates) if dates else None,
        queue_fill=queue_fill,
    )


@unscoped()
def _invalidate_saved(sender, instance, raw=False, **kwargs) -> None:
    if not raw:  # loaddata: nothing is stored for rows a fixture brings
        _invalidate(sender, instance, getattr(instance, PREVIOUS, (None, None)))


@unscoped()
def _invalidate_deleted(sender, instance, **kwargs) -> None:
    _invalidate(sender, instance)


@unscoped()
def _invalidate_bulk(sender, commune_ids, since, **kwargs) -> None:
    snapshots_invalidate(commune_ids=commune_ids, since=since, queue_fill=queue_fill)


def connect() -> None:
    """Called once, by reports.apps.ReportsConfig.ready."""
    for model in SOURCES:
        uid = f"snapshots-{model._meta.label_lower}"
        pre_save.connect(_remember_previous, sender=model, dispatch_uid=f"{uid}-pre")
        post_save.connect(_invalidate_saved, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(_invalidate_deleted, sender=model, dispatch_uid=f"{uid}-delete")
    figures_changed.connect(_invalidate_bulk, dispatch_uid="snapshots-bulk")
