"""The one place that decides which commune-owned rows a user may see.

Every commune-owned model names the path from itself to its Commune in `commune_scope`
and uses `CommuneScopedQuerySet`; views, API, exports and reports all start from
`Model.objects.for_user(user)`, so an object outside the user's scope is simply not found
(404, never 403, so ids do not leak). Rows that belong to the district itself (deadlines,
compliance reports) say in `for_profile` which of them a commune's users see.

Scoping fails closed (pretix's `ScopedManager`): a query on a commune-owned model that does not
start from `for_user` raises `ScopeError`, so a forgotten scope is a crash in the tests rather
than every commune's rows on a page. Code that truly needs every row (Celery tasks, management
commands, the admin site, the demo, the bench, signal receivers, a service looking up by id in a
job) says so: `Model.objects.unscoped()` for one query, `with unscoped():` for a block. Their
uniqueness checks read every row (bmp_comms.models.ScopedModel).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import models

# A context variable, not a global: a Celery worker or a test thread that turns scoping off
# does not turn it off for a request served at the same time.
_unscoped: ContextVar[bool] = ContextVar("bmp_comms_unscoped", default=False)


class ScopeError(Exception):
    """A commune-owned model was queried without a scope: a programming error, never shown."""


@contextmanager
def unscoped() -> Iterator[None]:
    """Every row of every commune-owned model, inside the block (also a decorator)."""
    token = _unscoped.set(True)
    try:
        yield
    finally:
        _unscoped.reset(token)


@contextmanager
def scope_enforced() -> Iterator[None]:
    """Scoping enforced again inside an `unscoped()` block: the tests, which build their rows
    freely, prove with it that the pages and the API scope every query themselves."""
    token = _unscoped.set(False)
    try:
        yield
    finally:
        _unscoped.reset(token)


class ScopedManager(models.Manager):
    """The manager of a commune-owned model: `for_user(user)` or `unscoped()` are the ways in;
    anything else (`filter`, `all`, `get`, `get_object_or_404(Model, …)`) raises `ScopeError`
    outside an `unscoped()` block.

    Not checked: a related manager (`commune.villages`, `deadline.communes`, and
    prefetch_related through them), which starts from a row the code already holds and reaches
    only that row's own; `none()`; and the writes `create` and `bulk_create`, which show no row.
    Forward relations (`village.commune`) go through the unchecked base manager."""

    def get_queryset(self) -> models.QuerySet:
        if not _unscoped.get() and getattr(self, "instance", None) is None:
            raise ScopeError(
                f"{self.model.__name__} queried without a scope: start from "
                f"{self.model.__name__}.objects.for_user(user), or say unscoped()."
            )
        return self._unchecked()

    def _unchecked(self) -> models.QuerySet:
        return super().get_queryset()

    def for_user(self, user) -> ScopedQuerySet:
        return self._unchecked().for_user(user)

    def unscoped(self) -> models.QuerySet:
        """Every row: for a job, a command or a look-up by id of a row the caller already
        holds. Say why at the call."""
        return self._unchecked()

    def none(self) -> models.QuerySet:
        return self._unchecked().none()

    def create(self, **kwargs) -> models.Model:
        return self._unchecked().create(**kwargs)

    def bulk_create(self, objs, *args, **kwargs) -> list[models.Model]:
        return self._unchecked().bulk_create(objs, *args, **kwargs)


class ScopedQuerySet(models.QuerySet):
    """`for_user`: nothing for a visitor, everything for an administrator without a role, and
    for a login with a role what `for_profile` lets it see."""

    def as_manager(cls) -> ScopedManager:
        # Every `XQuerySet.as_manager()` of a commune-owned model gets the failing-closed manager.
        manager = ScopedManager.from_queryset(cls)()
        manager._built_with_as_manager = True
        return manager

    as_manager.queryset_only = True
    as_manager = classmethod(as_manager)

    def for_user(self, user) -> ScopedQuerySet:
        if not user.is_authenticated:
            return self.none()
        profile = getattr(user, "profile", None)
        if profile is None:
            return self.all() if user.is_superuser else self.none()
        return self.for_profile(profile)

    def for_profile(self, profile) -> ScopedQuerySet:
        raise NotImplementedError


class CommuneScopedQuerySet(ScopedQuerySet):
    """Rows that belong to a commune, along the model's `commune_scope` path."""

    def for_profile(self, profile) -> CommuneScopedQuerySet:
        path = self.model.commune_scope
        if profile.is_district_role:
            lookup = f"{path}__district_id" if path else "district_id"
            return self.filter(**{lookup: profile.district_id})
        lookup = path or "pk"
        return self.filter(**{lookup: profile.commune_id})


def users_for(user) -> models.QuerySet:
    """The logins a user may see: the district's users, for district roles only."""
    from django.contrib.auth import get_user_model

    profile = getattr(user, "profile", None) if user.is_authenticated else None
    if profile is None or not profile.is_district_role:
        return get_user_model().objects.none()
    return get_user_model().objects.filter(profile__district_id=profile.district_id)
