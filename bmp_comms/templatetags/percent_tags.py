from django import template

from bmp_comms.numbers import NumberWriter

register = template.Library()


@register.filter
def pct(value) -> str:
    """66.7 → "66,7 %" in Vietnamese, "66.7 %" in English; "—" where there is no denominator."""
    return NumberWriter().percent(value)
