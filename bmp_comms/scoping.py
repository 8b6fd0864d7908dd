"""The one place that decides which commune-owned rows a user may see.

Every commune-owned model names the path from itself to its Commune in `commune_scope`
and uses `CommuneScopedQuerySet`; views, API, exports and reports all start from
`Model.objects.for_user(user)`, so an object outside the user's scope is simply not found
(404, never 403, so ids do not leak).
"""

from __future__ import annotations

from django.db import models


class CommuneScopedQuerySet(models.QuerySet):
    def for_user(self, user) -> CommuneScopedQuerySet:
        if not user.is_authenticated:
            return self.none()
        profile = getattr(user, "profile", None)
        if profile is None:
            return self.all() if user.is_superuser else self.none()
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
