"""Pages that write a commune's data: villages, Bluzone counts, officers; communes and users.

Each view: scope (`for_user`, 404 outside it) → permission (403) → form → one service → redirect.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from bmp_comms.permissions import can_edit_commune_data
from bmp_comms.scoping import users_for
from bmp_comms.web import (
    bound,
    form_methods,
    form_page,
    require_district_staff,
    require_edit,
    submit,
)
from communes import services
from communes.forms import (
    BluzoneCountForm,
    CommuneForm,
    OfficerForm,
    UserForm,
    VillageForm,
)
from communes.models import Commune, Officer, Village


def commune_detail_url(commune: Commune) -> str:
    return reverse("commune-detail", kwargs={"code": commune.code})


@login_required
@form_methods
def commune_create(request):
    require_district_staff(request.user)
    form = CommuneForm(**bound(request))
    commune = submit(
        request,
        form,
        lambda data: services.commune_create(district=request.user.profile.district, **data),
    )
    if commune is not None:
        messages.success(request, _("Commune %(name)s was created.") % {"name": commune.name})
        return redirect("commune-detail", code=commune.code)
    return form_page(
        request, form, title=_("New commune"), cancel_url=reverse("home"), submit_label=_("Create")
    )


@login_required
@form_methods
def village_create(request, code: str):
    commune = get_object_or_404(Commune.objects.for_user(request.user), code=code)
    require_edit(request.user, commune)
    form = VillageForm(**bound(request))
    village = submit(request, form, lambda data: services.village_save(commune=commune, **data))
    if village is not None:
        messages.success(request, _("%(village)s was added.") % {"village": village.name})
        return redirect(commune_detail_url(commune))
    return form_page(
        request,
        form,
        title=_("New village"),
        commune=commune,
        cancel_url=commune_detail_url(commune),
        submit_label=_("Add village"),
    )


@login_required
@form_methods
def village_edit(request, pk: int):
    village = get_object_or_404(
        Village.objects.for_user(request.user).select_related("commune"), pk=pk
    )
    commune = village.commune
    require_edit(request.user, commune)
    initial = {
        name: getattr(village, name)
        for name in ("name", "kind", "households", "residents", "smartphone_users")
    }
    # Taken before the service runs: a refused edit has already changed the instance.
    title = _("Edit %(village)s") % {"village": village.name}
    form = VillageForm(initial=initial, **bound(request))
    saved = submit(
        request,
        form,
        lambda data: services.village_save(village=village, commune=commune, **data),
    )
    if saved is not None:
        messages.success(request, _("%(village)s was saved.") % {"village": saved.name})
        return redirect(commune_detail_url(commune))
    return form_page(
        request,
        form,
        title=title,
        commune=commune,
        cancel_url=commune_detail_url(commune),
        submit_label=_("Save"),
    )


@login_required
@form_methods
def bluzone_count_create(request, pk: int):
    village = get_object_or_404(
        Village.objects.for_user(request.user).select_related("commune"), pk=pk
    )
    require_edit(request.user, village.commune)
    form = BluzoneCountForm(**bound(request))
    count = submit(
        request,
        form,
        lambda data: services.bluzone_count_record(village=village, actor=request.user, **data),
    )
    if count is not None:
        messages.success(
            request,
            _("Bluzone installs of %(village)s on %(date)s were recorded.")
            % {"village": village.name, "date": f"{count.date:%d/%m/%Y}"},
        )
        return redirect(commune_detail_url(village.commune))
    return form_page(
        request,
        form,
        title=_("Bluzone installs"),
        subtitle=village.name,
        recent=[(c.date, c.installs) for c in village.bluzone_counts.order_by("-date")[:5]],
        commune=village.commune,
        cancel_url=commune_detail_url(village.commune),
        submit_label=_("Record the count"),
    )


@login_required
@require_GET
def officer_list(request, code: str):
    commune = get_object_or_404(Commune.objects.for_user(request.user), code=code)
    officers = (
        Officer.objects.for_user(request.user)
        .filter(commune=commune)
        .select_related("user")
        .prefetch_related("assignments__field")
    )
    return render(
        request,
        "communes/officer_list.html",
        {
            "commune": commune,
            "officers": officers,
            "can_edit": can_edit_commune_data(request.user, commune),
        },
    )


def officer_list_url(commune: Commune) -> str:
    return reverse("officer-list", kwargs={"code": commune.code})


@login_required
@form_methods
def officer_create(request, code: str):
    commune = get_object_or_404(Commune.objects.for_user(request.user), code=code)
    require_edit(request.user, commune)
    form = OfficerForm(**bound(request))
    officer = submit(request, form, lambda data: services.officer_save(commune=commune, **data))
    if officer is not None:
        messages.success(request, _("Officer %(name)s was added.") % {"name": officer.full_name})
        return redirect(officer_list_url(commune))
    return form_page(
        request,
        form,
        title=_("New officer"),
        commune=commune,
        cancel_url=officer_list_url(commune),
        submit_label=_("Add officer"),
    )


@login_required
@form_methods
def officer_edit(request, pk: int):
    officer = get_object_or_404(
        Officer.objects.for_user(request.user).select_related("commune"), pk=pk
    )
    commune = officer.commune
    require_edit(request.user, commune)
    initial = {
        "full_name": officer.full_name,
        "position": officer.position,
        "phone": officer.phone,
        "fields": list(officer.assignments.values_list("field_id", flat=True)),
    }
    title = _("Edit officer %(name)s") % {"name": officer.full_name}
    form = OfficerForm(initial=initial, **bound(request))
    saved = submit(
        request,
        form,
        lambda data: services.officer_save(officer=officer, commune=commune, **data),
    )
    if saved is not None:
        messages.success(request, _("Officer %(name)s was saved.") % {"name": saved.full_name})
        return redirect(officer_list_url(commune))
    return form_page(
        request,
        form,
        title=title,
        commune=commune,
        cancel_url=officer_list_url(commune),
        submit_label=_("Save"),
    )


@login_required
@require_GET
def user_list(request):
    require_district_staff(request.user)
    users = (
        users_for(request.user)
        .select_related("profile__commune")
        .order_by("profile__role", "profile__commune__name", "username")
    )
    return render(request, "users/user_list.html", {"users": users})


@login_required
@form_methods
def user_create(request):
    require_district_staff(request.user)
    form = UserForm(user=request.user, **bound(request))
    user = submit(
        request,
        form,
        lambda data: services.user_create(district=request.user.profile.district, **data),
    )
    if user is not None:
        messages.success(request, _("User %(username)s was created.") % {"username": user.username})
        return redirect("user-list")
    return form_page(
        request,
        form,
        title=_("New user"),
        cancel_url=reverse("user-list"),
        submit_label=_("Create user"),
    )
