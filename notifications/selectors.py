"""Reads of notices: a person's own, newest first, and the bell's count."""

from __future__ import annotations

from django.db.models import QuerySet

from notifications.models import Notification


def notifications_for(user, *, unread: bool = False) -> QuerySet[Notification]:
    """The user's notices of every kind, reminders and workflow events alike, newest first
    (docs/rules.md#notifications); only the unread ones when asked."""
    notices = Notification.objects.for_user(user)
    if unread:
        notices = notices.unread()
    return notices.order_by("-created_at", "-pk")


def unread_count(user) -> int:
    """The bell's count: one query, answered from the partial index of the unread."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.for_user(user).unread().count()
