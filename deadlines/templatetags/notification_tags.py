from django import template

from bmp_comms.numbers import NumberWriter
from reports import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notifications(context) -> int:
    """The bell's count: one query per page, only for a signed-in user."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return selectors.unread_count(user) if user is not None else 0


@register.filter
def pct(value) -> str:
    """66.7 → "66,7 %" in Vietnamese, "66.7 %" in English; "—" where there is no denominator."""
    return NumberWriter().percent(value)
