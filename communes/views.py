"""Pages that write a commune's data: villages, dated counts, officers; communes and users.

Each view: scope (`for_user`, 404 outside it) → permission (403) → form → one service → redirect.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Model
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from bmp_comms.forms import CountForm
from bmp_comms.permissions import can_edit_commune_data, commune_of
from bmp_comms.scoping import users_for
from bmp_comms.web import (
    bound,
    form_methods,
    form_page,
    require_district_staff,
    require_edit,
    submit,
)
from communes import places, services
from communes.forms import (
    BluzoneCountForm,
    CommuneForm,
    OfficerForm,
    UserEditForm,
    UserForm,
    VillageForm,
)
from communes.models import VILLAGE_FIELDS, BluzoneCount, Commune, DatedCount, Officer, Village
from communes.wording import commune_title


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
        lambda data: places.commune_create(district=request.user.profile.district, **data),
    )
    if commune is not None:
        created = _("%(commune)s was created.") % {"commune": commune_title(commune)}
        messages.success(request, capfirst(created))
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
    village = submit(request, form, lambda data: places.village_create(commune=commune, **data))
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
    initial = {name: getattr(village, name) for name in VILLAGE_FIELDS}
    # Taken before the service runs: a refused edit has already changed the instance.
    title = _("Edit %(village)s") % {"village": village.name}
    form = VillageForm(initial=initial, **bound(request))
    saved = submit(
        request,
        form,
        lambda data: places.village_update(village=village, **data),
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


@dataclass(frozen=True)
class CountPage:
    """What the page of a dated count says; the owner, its commune, the recent counts and the
    service follow from the count's model (communes.models.DatedCount)."""

    model: type[DatedCount]
    form_class: type[CountForm]
    title: str | Promise
    subtitle: Callable[[Model], str]
    recorded: Callable[[Model, DatedCount], str]


@login_required
@form_methods
def dated_count_create(request, pk: int, *, page: CountPage):
    """A new count of a village or a group, by `villages/<pk>/bluzone-counts/new/` and
    `groups/<pk>/member-counts/new/`: one per owner and date, a correction is an edit."""
    model = page.model
    owners = model.owner_model().objects.for_user(request.user)
    owner = get_object_or_404(owners.select_related(owners.model.commune_scope), pk=pk)
    commune = commune_of(owner)
    require_edit(request.user, commune)
    form = page.form_class(**bound(request))
    count = submit(
        request,
        form,
        lambda data: services.dated_count_record(
            model=model,
            owner=owner,
            date=data["date"],
            value=data[model.value_field],
            actor=request.user,
        ),
    )
    if count is not None:
        messages.success(request, page.recorded(owner, count))
        return redirect(commune_detail_url(commune))
    recent = (
        model.objects.for_user(request.user)
        .filter(**{model.owner_field: owner})
        .order_by("-date")[:5]
    )
    return form_page(
        request,
        form,
        title=page.title,
        subtitle=page.subtitle(owner),
        recent=[(c.date, c.value) for c in recent],
        commune=commune,
        cancel_url=commune_detail_url(commune),
        submit_label=_("Record the count"),
    )


BLUZONE_COUNT_PAGE = CountPage(
    model=BluzoneCount,
    form_class=BluzoneCountForm,
    title=gettext_lazy("Bluzone installs"),
    subtitle=lambda village: village.name,
    recorded=lambda village, count: (
        _("Bluzone installs of %(village)s on %(date)s were recorded.")
        % {"village": village.name, "date": f"{count.date:%d/%m/%Y}"}
    ),
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
        .select_related("profile__commune", "profile__district")
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


@login_required
@form_methods
def user_edit(request, pk: int):
    require_district_staff(request.user)
    # Another district's login is not found (404), as any row outside one's scope.
    account = get_object_or_404(
        users_for(request.user).select_related("profile__commune", "officer"), pk=pk
    )
    initial = {
        "full_name": account.first_name,
        "role": account.profile.role,
        "commune": account.profile.commune,
        "fields": list(
            account.officer.assignments.values_list("field_id", flat=True)
            if hasattr(account, "officer")
            else []
        ),
        "is_active": account.is_active,
    }
    title = _("Edit user %(username)s") % {"username": account.username}
    form = UserEditForm(user=request.user, initial=initial, **bound(request))
    saved = submit(
        request,
        form,
        lambda data: services.user_update(user=account, actor=request.user, **data),
    )
    if saved is not None:
        messages.success(request, _("User %(username)s was saved.") % {"username": saved.username})
        return redirect("user-list")
    return form_page(
        request,
        form,
        title=title,
        cancel_url=reverse("user-list"),
        submit_label=_("Save"),
    )
