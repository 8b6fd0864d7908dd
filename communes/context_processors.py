"""What every page knows of the user's units: the words of their top unit's kind and their role's
label in those words (communes.wording). The profile is read with its top unit in the one query
that reads it (communes.models.ProfileManager), so these cost no query of their own."""

from django.utils.functional import SimpleLazyObject

from communes.models import District
from communes.wording import profile_role_label, top_unit_words


def _deployment_unit() -> District | None:
    # The top unit a page names before anyone logs in: the deployment's, when it has one.
    units = list(District.objects.order_by("pk")[:2])
    return units[0] if len(units) == 1 else None


def unit_words(request) -> dict:
    user = request.user
    profile = getattr(user, "profile", None) if user.is_authenticated else None
    return {
        "top_unit": top_unit_words(profile.district if profile else None),
        "user_role_label": profile_role_label(profile) if profile else "",
        # Read only by a page that shows it (the login page).
        "deployment_unit": SimpleLazyObject(_deployment_unit),
    }
