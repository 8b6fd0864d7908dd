"""Web forms of news groups and member counts; field names equal the API's."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from bmp_comms.forms import CountForm, PortalForm, count_field, date_field
from bmp_comms.permissions import is_district_user
from communes.models import Village
from groups.models import GroupStatus, Platform


class VillageChoiceField(forms.ModelChoiceField):
    def __init__(self, *, show_commune: bool, **kwargs):
        self.show_commune = show_commune
        super().__init__(**kwargs)

    def label_from_instance(self, village: Village) -> str:
        # District staff pick among every commune's villages: name the commune too.
        return f"{village.commune.name} – {village.name}" if self.show_commune else village.name


class GroupForm(PortalForm):
    village = VillageChoiceField(
        queryset=Village.objects.none(),
        show_commune=False,
        label=_("Village"),
        empty_label=_("— choose a village —"),
        error_messages={
            "required": _("Choose the village of the group."),
            "invalid_choice": _("Choose one of the villages in the list."),
        },
    )
    platform = forms.ChoiceField(
        label=_("Platform"),
        choices=Platform.choices,
        error_messages={"invalid_choice": _("Choose one of the listed platforms.")},
    )
    name = forms.CharField(label=_("Group name"), max_length=200)
    invite_url = forms.CharField(
        label=_("Invite link"),
        max_length=500,
        required=False,
        help_text=_("Required for an active group, e.g. https://zalo.me/g/…"),
        widget=forms.URLInput(attrs={"inputmode": "url", "autocomplete": "off"}),
    )
    admin_name = forms.CharField(label=_("Admin name"), max_length=120, required=False)
    admin_phone = forms.CharField(
        label=_("Admin phone"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel"}),
    )
    admin_trained = forms.BooleanField(
        label=_("The admin has been trained to run the group"), required=False
    )
    admins_only_post = forms.BooleanField(
        label=_("Only admins may post (notice-board group)"), required=False
    )
    established_on = date_field(_("Established on"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        choices=GroupStatus.choices,
        initial=GroupStatus.ACTIVE,
        error_messages={"invalid_choice": _("Choose one of the listed statuses.")},
    )
    channel_id = forms.CharField(
        label=_("Channel id"),
        max_length=100,
        required=False,
        help_text=_(
            "The platform's id of the group (Telegram chat id such as -1001234567890, Zalo "
            "group_id); leave empty to post bulletins by hand."
        ),
    )

    def __init__(self, *args, villages, user, **kwargs):
        super().__init__(*args, **kwargs)
        village = self.fields["village"]
        village.queryset = villages.select_related("commune").order_by("commune__name", "name")
        village.show_commune = is_district_user(user)


class MemberCountForm(CountForm):
    date = date_field(_("Date"))
    members = count_field(_("Members"))
