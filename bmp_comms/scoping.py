"""The one place that decides which commune-owned rows a user may see.

Every commune-owned model names the path from itself to its Commune in `commune_scope`
and uses `CommuneScopedQuerySet`; views, API, exports and reports all start from
`Model.objects.for_user(user)`, so an object outside the user's scope is simply not found
(404, never 403, so ids do not leak). Rows that belong to the district itself (deadlines,
compliance reports) say in `for_profile` which of them a commune's users see.
"""

from __future__ import annotations

from django.db import models


class ScopedQuerySet(models.QuerySet):
    """`for_user`: nothing for a visitor, everything for an administrator without a role, and
    for a login with a role what `for_profile` lets it see."""

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
