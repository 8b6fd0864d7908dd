"""Pages that register and edit news groups and record their member counts."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from bmp_comms.permissions import can_write_any_commune_data
from bmp_comms.web import bound, form_methods, form_page, require_edit, submit
from communes.models import Village
from communes.views import commune_detail_url
from groups import services
from groups.forms import GroupForm, MemberCountForm
from groups.models import MessagingGroup

GROUP_INITIAL_FIELDS = (
    "village",
    "platform",
    "name",
    "invite_url",
    "admin_name",
    "admin_phone",
    "admin_trained",
    "admins_only_post",
    "established_on",
    "status",
    "channel_id",
)


def editable_villages(user) -> QuerySet[Village]:
    """The villages a group may be placed in: those in scope, for a user who may write them
    (commune users: their commune; district staff: their district)."""
    if not can_write_any_commune_data(user):
        return Village.objects.none()
    return Village.objects.for_user(user)


@login_required
@form_methods
def group_create(request):
    if not can_write_any_commune_data(request.user):
        raise PermissionDenied
    villages = editable_villages(request.user)
    initial = {}
    if chosen := request.GET.get("village"):
        # Another commune's village is not found, as anywhere else (404, never 403).
        if not chosen.isdigit():
            raise Http404
        initial["village"] = get_object_or_404(villages, pk=chosen)
    form = GroupForm(villages=villages, user=request.user, initial=initial, **bound(request))
    group = submit(request, form, lambda data: services.group_register(actor=request.user, **data))
    if group is not None:
        messages.success(request, _("The group “%(name)s” was registered.") % {"name": group.name})
        return redirect(commune_detail_url(group.village.commune))
    cancel = initial["village"].commune if initial else None
    return form_page(
        request,
        form,
        title=_("Register a news group"),
        commune=cancel,
        cancel_url=commune_detail_url(cancel) if cancel else reverse("home"),
        submit_label=_("Register group"),
    )


@login_required
@form_methods
def group_edit(request, pk: int):
    group = get_object_or_404(
        MessagingGroup.objects.for_user(request.user).select_related("village__commune"), pk=pk
    )
    commune = group.village.commune
    require_edit(request.user, commune)
    initial = {name: getattr(group, name) for name in GROUP_INITIAL_FIELDS}
    # Taken before the service runs: a refused edit has already changed the instance.
    title = _("Edit group %(name)s") % {"name": group.name}
    form = GroupForm(
        villages=editable_villages(request.user),
        user=request.user,
        initial=initial,
        **bound(request),
    )
    saved = submit(request, form, lambda data: services.group_update(group=group, **data))
    if saved is not None:
        messages.success(request, _("The group “%(name)s” was saved.") % {"name": saved.name})
        return redirect(commune_detail_url(saved.village.commune))
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
def member_count_create(request, pk: int):
    group = get_object_or_404(
        MessagingGroup.objects.for_user(request.user).select_related("village__commune"), pk=pk
    )
    commune = group.village.commune
    require_edit(request.user, commune)
    form = MemberCountForm(**bound(request))
    count = submit(
        request,
        form,
        lambda data: services.member_count_record(group=group, actor=request.user, **data),
    )
    if count is not None:
        messages.success(
            request,
            _("Members of “%(group)s” on %(date)s were recorded.")
            % {"group": group.name, "date": f"{count.date:%d/%m/%Y}"},
        )
        return redirect(commune_detail_url(commune))
    return form_page(
        request,
        form,
        title=_("Member count"),
        subtitle=f"{group.name} · {group.village.name}",
        recent=[(c.date, c.members) for c in group.member_counts.order_by("-date")[:5]],
        commune=commune,
        cancel_url=commune_detail_url(commune),
        submit_label=_("Record the count"),
    )
