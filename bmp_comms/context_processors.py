from bmp_comms.permissions import is_district_staff, is_district_user, role_of


def user_scope(request) -> dict:
    user = request.user
    profile = getattr(user, "profile", None) if user.is_authenticated else None
    return {
        "user_role": role_of(user),
        "user_commune": profile.commune if profile and profile.commune_id else None,
        "is_district_user": is_district_user(user),
        "is_district_staff": is_district_staff(user),
    }
