"""A commune's pages of the bulletins app: its channels (the Telegram bot, the Zalo OA) and who
answers for each field, with the history of reassignments.

Each view: scope (`for_user`, 404 outside it) → permission (403) → form → one service →
redirect.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from bmp_comms.permissions import can_manage_channels, can_reassign_fields
from bmp_comms.web import bound, form_methods, form_page, submit
from bulletins.channels import channel_connect, channel_update
from bulletins.forms import ReassignForm, TelegramChannelForm, ZaloChannelForm
from bulletins.models import ChannelPlatform
from communes.models import Commune, Field, FieldAssignment
from communes.services import field_assignment_reassign

# --- channels ---------------------------------------------------------------------------------

CHANNEL_FORMS = {
    ChannelPlatform.TELEGRAM: TelegramChannelForm,
    ChannelPlatform.ZALO: ZaloChannelForm,
}


@login_required
@form_methods
def channel_list(request, code: str):
    commune = get_object_or_404(Commune.objects.for_user(request.user), code=code)
    if not can_manage_channels(request.user, commune):
        raise PermissionDenied
    channels = {c.platform: c for c in commune.channels.all()}
    posted = request.POST.get("platform") if request.method == "POST" else None
    forms = {}
    status = 200
    for platform, form_class in CHANNEL_FORMS.items():
        existing = channels.get(platform)
        initial = {"active": existing.active if existing else True}
        data = request.POST if posted == platform else None
        forms[platform] = form_class(data, initial=initial, prefix=platform)
    if posted in CHANNEL_FORMS:
        form = forms[posted]
        if form.is_valid():
            data = dict(form.cleaned_data)
            active = data.pop("active")
            secrets = {key: value for key, value in data.items() if value}
            try:
                if posted in channels:
                    channel_update(
                        channel=channels[posted], credentials=secrets or None, active=active
                    )
                else:
                    channel_connect(
                        commune=commune, platform=posted, credentials=secrets, active=active
                    )
            except ValidationError as exc:
                form.add_error(None, exc.messages)
            else:
                messages.success(request, _("The channel was saved."))
                return redirect("channel-list", code=commune.code)
        status = 400
    return render(
        request,
        "bulletins/channel_list.html",
        {
            "commune": commune,
            "panels": [
                (platform, label, channels.get(platform), forms[platform])
                for platform, label in ChannelPlatform.choices
                # Zalo Bot is the top unit's notification bot, never a commune's channel.
                if platform in CHANNEL_FORMS
            ],
        },
        status=status,
    )


# --- who answers for each field ---------------------------------------------------------------


@login_required
@require_GET
def field_responsibility(request, code: str):
    """Who answers for each field in a commune (D8), and the history of reassignments."""
    commune = get_object_or_404(Commune.objects.for_user(request.user), code=code)
    assignments = {a.field_id: a for a in commune.field_assignments.select_related("officer")}
    history = (
        FieldAssignment.history.filter(commune_id=commune.pk)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")[:50]
    )
    officers = {o.pk: o.full_name for o in commune.officers.all()}
    fields = {f.code: f.name for f in Field.objects.all()}
    return render(
        request,
        "bulletins/field_responsibility.html",
        {
            "commune": commune,
            "rows": [
                (field, assignments.get(field.code)) for field in Field.objects.order_by("name")
            ],
            "history": [
                {
                    "record": record,
                    "field": fields.get(record.field_id, record.field_id),
                    "officer": officers.get(record.officer_id, "—"),
                }
                for record in history
            ],
            "can_reassign": can_reassign_fields(request.user, commune),
        },
    )


@login_required
@form_methods
def field_assignment_edit(request, pk: int):
    assignment = get_object_or_404(
        FieldAssignment.objects.for_user(request.user).select_related("commune", "field"), pk=pk
    )
    commune = assignment.commune
    if not can_reassign_fields(request.user, commune):
        raise PermissionDenied
    form = ReassignForm(commune=commune, initial={"officer": assignment.officer}, **bound(request))
    saved = submit(
        request,
        form,
        lambda data: field_assignment_reassign(
            assignment=assignment, officer=data["officer"], actor=request.user
        ),
    )
    back = reverse("field-responsibility", kwargs={"code": commune.code})
    if saved is not None:
        messages.success(
            request,
            _("%(officer)s now answers for “%(field)s”.")
            % {"officer": saved.officer.full_name, "field": assignment.field.name},
        )
        return redirect(back)
    return form_page(
        request,
        form,
        title=_("Reassign “%(field)s”") % {"field": assignment.field.name},
        commune=commune,
        cancel_url=back,
        submit_label=_("Reassign"),
    )
