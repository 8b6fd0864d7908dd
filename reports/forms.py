"""The compile form of /reports/ (field names are the API's) and the letterhead form."""

from __future__ import annotations

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from bmp_comms.dates import local_today
from bmp_comms.forms import PortalForm, date_field, latest_day
from bmp_comms.permissions import is_commune_user
from communes.models import Commune
from communes.wording import letterhead_defaults, top_unit_words
from reports.models import Letterhead, ReportFormat, ReportKind


class CompileForm(PortalForm):
    """Works with its defaults: a compliance report, as a PDF, figures as of today, for the whole
    district (district users) or the user's own commune (a commune's users, who choose no
    other)."""

    kind = forms.ChoiceField(choices=ReportKind.choices, required=False, widget=forms.HiddenInput)
    format = forms.ChoiceField(label=_("Format"), choices=ReportFormat.choices, required=False)
    as_of = date_field(_("Figures as of"), required=False)
    commune = forms.ModelChoiceField(
        label=_("Commune"), queryset=Commune.objects.none(), required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        today = local_today()
        self.initial.setdefault("kind", ReportKind.COMPLIANCE)
        self.initial.setdefault("format", ReportFormat.PDF)
        self.initial.setdefault("as_of", today)
        latest_day(self.fields["as_of"], today)
        commune = self.fields["commune"]
        if is_commune_user(user):
            commune.queryset = Commune.objects.for_user(user)
            commune.initial = user.profile.commune_id
            commune.empty_label = None
            commune.disabled = True
        else:
            commune.queryset = Commune.objects.for_user(user).order_by("name")
            commune.empty_label = top_unit_words(user.profile.district).whole

    def clean_kind(self) -> str:
        return self.cleaned_data.get("kind") or ReportKind.COMPLIANCE

    def clean_format(self) -> str:
        return self.cleaned_data.get("format") or ReportFormat.PDF

    def clean_as_of(self):
        return self.cleaned_data.get("as_of") or local_today()


def _letterhead_field(name: str, **kwargs) -> forms.CharField:
    """A field of the form as the model declares it: label, help text, length."""
    model_field = Letterhead._meta.get_field(name)
    return forms.CharField(
        label=capfirst(model_field.verbose_name),
        help_text=model_field.help_text,
        max_length=model_field.max_length,
        **kwargs,
    )


class LetterheadForm(PortalForm):
    """The district's letterhead; the short code is checked by the model (capital letters)."""

    parent_body = _letterhead_field("parent_body")
    issuing_body = _letterhead_field("issuing_body")
    short_code = _letterhead_field("short_code")
    place_name = _letterhead_field("place_name")
    signer_title = _letterhead_field("signer_title")
    signer_name = _letterhead_field("signer_name")
    recipients = _letterhead_field("recipients", widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args, district, **kwargs):
        super().__init__(*args, **kwargs)
        # The examples are the top unit's own default letterhead, in the words of its kind.
        defaults = letterhead_defaults(district)
        for name in ("parent_body", "issuing_body", "signer_title"):
            self.fields[name].help_text = _("For example %(example)s.") % {
                "example": getattr(defaults, name)
            }
        self.fields["short_code"].help_text = _(
            "Used in the number of each report, for example %(code)s in 07/BC-%(code)s."
        ) % {"code": defaults.short_code}
        self.fields["place_name"].help_text = _("Written before the date: %(place)s, ngày …") % {
            "place": district.name
        }
