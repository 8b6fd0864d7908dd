"""Role rules of docs/rules.md#roles, checked the same way by pages and API.

Scope (which rows exist for a user) is `CommuneScopedQuerySet.for_user`; these functions
decide what a user may *do* with a row already in scope.
"""

from __future__ import annotations

from rest_framework.permissions import SAFE_METHODS, BasePermission

from bmp_comms.roles import COMMUNE_ROLES, DISTRICT_ROLES, Role


def role_of(user) -> str | None:
    profile = getattr(user, "profile", None) if user.is_authenticated else None
    return profile.role if profile else None


def is_district_staff(user) -> bool:
    return role_of(user) == Role.DISTRICT_STAFF


def is_district_user(user) -> bool:
    return role_of(user) in DISTRICT_ROLES


def is_commune_user(user, commune=None) -> bool:
    if role_of(user) not in COMMUNE_ROLES:
        return False
    return commune is None or user.profile.commune_id == commune.pk


def can_edit_commune_data(user, commune) -> bool:
    """Villages, groups, counts and officers: the commune's own users, and district staff
    (who import data) for the communes of their district."""
    if is_commune_user(user, commune):
        return True
    return is_district_staff(user) and user.profile.district_id == commune.district_id


def can_write_any_commune_data(user) -> bool:
    return is_commune_user(user) or is_district_staff(user)


class CommuneDataPermission(BasePermission):
    """Reads for every scoped user; writes for commune users and district staff only."""

    def has_permission(self, request, view) -> bool:
        if role_of(request.user) is None:
            return False
        return request.method in SAFE_METHODS or can_write_any_commune_data(request.user)


class DistrictStaffWrites(BasePermission):
    """Reads for every scoped user; writes for district staff only."""

    def has_permission(self, request, view) -> bool:
        if role_of(request.user) is None:
            return False
        return request.method in SAFE_METHODS or is_district_staff(request.user)


class TopUnitPermission(BasePermission):
    """The top unit (`districts/`): read by every role (a commune's users see theirs), written
    by administrators only (docs/rules.md#unit-kinds); an administrator needs no role."""

    def has_permission(self, request, view) -> bool:
        if request.user.is_authenticated and request.user.is_superuser:
            return True
        return role_of(request.user) is not None and request.method in SAFE_METHODS


class DistrictStaffOnly(BasePermission):
    def has_permission(self, request, view) -> bool:
        return is_district_staff(request.user)


def commune_of(obj):
    """The commune a row belongs to, along the model's `commune_scope` path."""
    for name in filter(None, type(obj).commune_scope.split("__")):
        obj = getattr(obj, name)
    return obj


class CommuneDataWrites(CommuneDataPermission):
    """`CommuneDataPermission`, and a row is written only by those who may edit its commune's
    data. Scope already hides other communes' rows (404); this holds if scope ever widens."""

    def has_object_permission(self, request, view, obj) -> bool:
        if request.method in SAFE_METHODS:
            return True
        return can_edit_commune_data(request.user, commune_of(obj))


def is_commune_leader(user, commune=None) -> bool:
    return role_of(user) == Role.COMMUNE_LEADER and (
        commune is None or user.profile.commune_id == commune.pk
    )


def is_district_staff_of(user, commune) -> bool:
    return is_district_staff(user) and user.profile.district_id == commune.district_id


def can_reassign_fields(user, commune) -> bool:
    """Moving a field to another officer is an explicit edit by the commune's leader or the
    district staff (docs/rules.md#field-responsibility), not by the officers themselves."""
    return is_commune_leader(user, commune) or is_district_staff_of(user, commune)


def can_author_bulletins(user, commune) -> bool:
    """Drafting and editing a draft: any user of the commune; district staff do not author
    bulletins (docs/rules.md#drafting)."""
    return is_commune_user(user, commune)


def can_lead_bulletins(user, commune) -> bool:
    """Approving, rejecting and publishing: a leader of the commune only."""
    return is_commune_leader(user, commune)


def can_manage_channels(user, commune) -> bool:
    """A commune's bots and Official Accounts: its leader, and the district staff."""
    return is_commune_leader(user, commune) or is_district_staff_of(user, commune)


class FieldAssignmentWrites(CommuneDataPermission):
    """Reads for every scoped user; a reassignment by those who may reassign (above)."""

    def has_object_permission(self, request, view, obj) -> bool:
        if request.method in SAFE_METHODS:
            return True
        return can_reassign_fields(request.user, obj.commune)


class BulletinPermission(BasePermission):
    """Bulletins are read by every scoped user; written by the commune's users (each action
    then checks its own rule); never by district users, who read their district's."""

    def has_permission(self, request, view) -> bool:
        if role_of(request.user) is None:
            return False
        return request.method in SAFE_METHODS or is_commune_user(request.user)


def can_manage_notification_bots(user, district_id: int | None) -> bool:
    """The top unit's notification bots (a channel with no commune): its staff only
    (docs/rules.md#notification-bot)."""
    return is_district_staff(user) and user.profile.district_id == district_id


class ChannelPermission(BasePermission):
    """Channels are seen and written by district staff and commune leaders only; the top
    unit's notification bots by its staff only."""

    def has_permission(self, request, view) -> bool:
        return is_district_staff(request.user) or is_commune_leader(request.user)

    def has_object_permission(self, request, view, obj) -> bool:
        if obj.commune_id is None:
            return can_manage_notification_bots(request.user, obj.district_id)
        return can_manage_channels(request.user, obj.commune)
