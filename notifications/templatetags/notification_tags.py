from django import template
from django.conf import settings

from notifications import selectors

register = template.Library()

# The context variable a page that counted the unread already (the notifications page) sets,
# so that its bell does not count them again.
UNREAD = "notifications_unread"


def bell_context(unread: int) -> dict:
    """What templates/notifications/_bell.html draws: the count, and how often to ask again."""
    return {"unread": unread, "poll_seconds": settings.NOTIFICATION_BELL_POLL_SECONDS}


@register.simple_tag(takes_context=True)
def unread_notifications(context) -> int:
    """The bell's count: one query per page, only for a signed-in user."""
    if context.get(UNREAD) is not None:
        return context[UNREAD]
    request = context.get("request")
    user = getattr(request, "user", None)
    return selectors.unread_count(user) if user is not None else 0


@register.inclusion_tag("notifications/_bell.html", takes_context=True)
def notification_bell(context) -> dict:
    """The navigation bar's bell, which polls its own count (notifications.views)."""
    return bell_context(unread_notifications(context))
