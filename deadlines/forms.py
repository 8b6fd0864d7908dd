"""Web forms of the deadlines app; field names equal the API's, rules stay in the services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from bmp_comms.forms import PortalForm, date_field
from communes.models import Commune
from communes.wording import unit_params


class DeadlineForm(PortalForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    directive = forms.CharField(
        label=_("Directive"),
        max_length=60,
        required=False,
        help_text=_("For example 606/UBND-VX."),
    )
    due_date = date_field(_("Due date"))
    communes = forms.ModelMultipleChoiceField(
        label=_("Communes covered"),
        queryset=Commune.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        communes = Commune.objects.for_user(user).order_by("name")
        self.fields["communes"].queryset = communes
        self.fields["communes"].help_text = _(
            "Every commune of the %(unit)s when none is ticked."
        ) % unit_params(user.profile.district)
        if not self.is_bound:
            self.initial.setdefault("communes", list(communes))


class DeadlineCloseForm(PortalForm):
    closed_on = date_field(
        _("Closed on"),
        required=False,
        help_text=_("No reminder is sent from this day on. Empty: the deadline is reopened."),
    )


class SubmissionForm(PortalForm):
    note = forms.CharField(
        label=_("Note"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("What the commune has done, in a few lines."),
    )
    attachment = forms.FileField(
        label=_("Attachment"),
        required=False,
        help_text=_("Optional: a PDF file or a photo, at most 10 MB."),
        widget=forms.FileInput(attrs={"accept": ".pdf,image/jpeg,image/png,image/webp"}),
    )


class InspectionForm(PortalForm):
    commune = forms.ModelChoiceField(label=_("Commune"), queryset=Commune.objects.none())
    date = date_field(_("Date of the inspection"))
    inspector = forms.CharField(label=_("Inspector"), max_length=200)
    findings = forms.CharField(label=_("Findings"), widget=forms.Textarea(attrs={"rows": 5}))
    follow_up_due = date_field(
        _("Follow-up due"),
        required=False,
        help_text=_("When given, the follow-up becomes a deadline for the commune."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = Commune.objects.for_user(user).order_by("name")
