from django import template

from deadlines import deliveries

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notifications(context) -> int:
    """The bell's count: one query per page, only for a signed-in user."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return deliveries.unread_count(user) if user is not None else 0
