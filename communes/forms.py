"""Web forms of communes, villages, officers, users and Bluzone counts.

Field names equal the API's (docs/rules.md#bad-input), so a rule and its error message read the same
on both paths. Forms only parse input; the rules themselves live in communes.places and
communes.services.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from bmp_comms.forms import CountForm, PortalForm, count_field, date_field
from communes.models import Commune, CommuneKind, Field, Role, VillageKind
from communes.wording import role_label, unit_params


class BluzoneCountForm(CountForm):
    date = date_field(_("Date"))
    installs = count_field(_("Bluzone installs"))


class VillageForm(PortalForm):
    name = forms.CharField(label=_("Village name"), max_length=120)
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=VillageKind.choices,
        error_messages={"invalid_choice": _("Choose one of the listed kinds.")},
    )
    households = count_field(_("Households"))
    residents = count_field(_("Residents"))
    smartphone_users = count_field(_("Smartphone users"))


class FieldsChoiceField(forms.ModelMultipleChoiceField):
    def __init__(self, **kwargs):
        super().__init__(
            queryset=Field.objects.order_by("name"),
            to_field_name="code",
            required=False,
            label=_("Fields of responsibility"),
            help_text=_("One responsible officer per field in each commune."),
            widget=forms.CheckboxSelectMultiple,
            error_messages={"invalid_choice": _("Unknown field: %(value)s.")},
            **kwargs,
        )

    def clean(self, value) -> list[str]:
        return [field.code for field in super().clean(value)]


class OfficerForm(PortalForm):
    full_name = forms.CharField(label=_("Full name"), max_length=120)
    position = forms.CharField(label=_("Position"), max_length=120, required=False)
    phone = forms.CharField(
        label=_("Phone"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel"}),
    )
    fields = FieldsChoiceField()


class CommuneForm(PortalForm):
    # The slug is made from the name: a clash of slugs is a clash of names.
    error_fields = {"slug": "name"}

    code = forms.CharField(
        label=_("Official code"),
        max_length=16,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    name = forms.CharField(label=_("Commune name"), max_length=120)
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=CommuneKind.choices,
        initial=CommuneKind.XA,
        # Left out, the kind word of the name decides ("Phường Bình Lộc"), else a xã.
        required=False,
        error_messages={"invalid_choice": _("Choose one of the listed kinds.")},
    )


def _commune_field() -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=_("Commune"),
        queryset=Commune.objects.none(),
        required=False,
        empty_label=_("— choose a commune —"),
        help_text=_("For commune roles only."),
    )


def _role_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("Role"),
        choices=Role.choices,
        error_messages={"invalid_choice": _("Choose one of the listed roles.")},
    )


class UserForm(PortalForm):
    username = forms.CharField(label=_("Username"), max_length=150)
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    # A commune user's name is also its officer's (at most 120 characters), not only the
    # login's first name (150).
    full_name = forms.CharField(label=_("Full name"), max_length=120)
    role = _role_field()
    commune = _commune_field()
    fields = FieldsChoiceField()

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        district = user.profile.district
        self.fields["commune"].queryset = Commune.objects.for_user(user)
        self.fields["commune"].error_messages["invalid_choice"] = _(
            "Choose a commune of your %(unit)s."
        ) % unit_params(district)
        # The roles in the words of the staff's top unit; a commune role in a xã's.
        self.fields["role"].choices = [
            (role, role_label(role, district=district)) for role in Role.values
        ]


class UserEditForm(UserForm):
    """The edit of a login (communes.accounts.user_update): the API's PATCH fields; the
    username and the password are not edited here."""

    username = None
    password = None
    is_active = forms.BooleanField(
        label=_("Active"),
        required=False,
        help_text=_(
            "A deactivated user cannot log in and answers for no field; their history is kept."
        ),
    )

    field_order = ["full_name", "role", "commune", "fields", "is_active"]

    def clean(self):
        cleaned = super().clean()
        # A page always sends the boxes of the fields: those left ticked beside an unticked
        # "Active" say nothing, as a deactivated user answers for no field.
        if not cleaned.get("is_active", True):
            cleaned["fields"] = None
        return cleaned
