"""Template filters for the words of a unit's kind (communes.wording): `{{ commune|commune_title }}`
is "xã Đa Kia" or "phường Bình Lộc", `{{ profile|role_label }}` a role in its unit's words."""

from django import template

from communes import wording

register = template.Library()


@register.filter
def commune_title(commune) -> str:
    return wording.commune_title(commune) if commune else ""


@register.filter
def top_unit_title(district) -> str:
    return wording.top_unit_title(district) if district else ""


@register.filter
def role_label(profile) -> str:
    return wording.profile_role_label(profile) if profile else ""
