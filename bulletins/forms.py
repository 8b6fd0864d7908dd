"""Web forms of bulletins, their workflow steps, confirmations, channels and field
reassignments. Field names equal the API's; the rules live in the services."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bmp_comms.forms import PortalForm
from bmp_comms.typed import DayTimeField
from communes.models import Field, Officer, TopUnitKind, Village


def publish_at_field(label) -> DayTimeField:
    # dd/mm/yyyy hh:mm whatever the browser's language (bmp_comms.typed), in the portal's time.
    return DayTimeField(
        label=label,
        required=False,
        help_text=_("Leave empty to publish as soon as it is approved and published."),
    )


class VillagesField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, village: Village) -> str:
        return village.name


class BulletinForm(PortalForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    field = forms.ChoiceField(
        label=_("Field"),
        error_messages={"invalid_choice": _("Choose one of the listed fields.")},
    )
    body = forms.CharField(
        label=_("Text"),
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_(
            "At most 300 words; short sentences (25 words on average at most). Line breaks "
            "are kept; nothing is read as formatting."
        ),
        strip=True,
    )
    source = forms.CharField(
        label=_("Source"),
        max_length=300,
        required=False,
        help_text=_("Required for health news: who says so (e.g. Trung tâm Y tế huyện)."),
    )
    villages = VillagesField(
        label=_("Target villages"),
        queryset=Village.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every village of the commune."),
        error_messages={"invalid_choice": _("Choose villages of your commune.")},
    )
    publish_at = publish_at_field(_("Publish at"))

    def __init__(self, *args, commune, district=None, **kwargs):
        super().__init__(*args, **kwargs)
        if district is not None and district.kind != TopUnitKind.DISTRICT:
            # No huyện since 1 July 2025: the example names the province's health department.
            self.fields["source"].help_text = _(
                "Required for health news: who says so (e.g. Sở Y tế)."
            )
        self.fields["field"].choices = [
            ("", _("— choose a field —")),
            *Field.objects.order_by("name").values_list("code", "name"),
        ]
        self.fields["villages"].queryset = commune.villages.order_by("name")
        self.fields["body"].widget.attrs["spellcheck"] = "true"


class ApproveForm(PortalForm):
    override_duplicate = forms.BooleanField(
        label=_("Approve although it repeats an earlier bulletin"), required=False
    )
    urgent = forms.BooleanField(
        label=_("Approve my own bulletin as urgent (the commune has no other leader)"),
        required=False,
    )
    reason = forms.CharField(
        label=_("Why it is urgent"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        strip=False,
    )

    def __init__(self, *args, offer_urgent: bool = False, **kwargs):
        # Prefixed ids: the page shows the rejection form's `reason` beside this one.
        kwargs.setdefault("auto_id", "id_approve_%s")
        super().__init__(*args, **kwargs)
        if not offer_urgent:
            # The urgent path is offered only to a leader approving their own bulletin in a
            # commune with no other active leader (docs/rules.md#approval).
            del self.fields["urgent"]
            del self.fields["reason"]


class RejectForm(PortalForm):
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class PublishForm(PortalForm):
    publish_at = publish_at_field(_("Publish at (leave empty: now)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["publish_at"].help_text = ""
        # The calendar offers nothing before today; a past time is the service's to refuse.
        self.fields["publish_at"].widget.attrs["data-min"] = timezone.localdate().isoformat()


class ConfirmForm(PortalForm):
    posted_url = forms.CharField(
        label=_("Link to the post"),
        max_length=500,
        required=False,
        widget=forms.URLInput(attrs={"inputmode": "url", "placeholder": "https://"}),
    )
    # Judged by the service (bulletins.evidence), as on the API: JPEG, PNG or WebP, 5 MB, 40 MP.
    evidence = forms.FileField(label=_("Picture of the post"), required=False)


def secret_input() -> forms.PasswordInput:
    # Never rendered back: a saved secret is not shown again, even to the one who typed it.
    return forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"})


class TelegramChannelForm(PortalForm):
    bot_token = forms.CharField(
        label=_("Bot token"),
        required=False,
        widget=secret_input(),
        help_text=_("From @BotFather, e.g. 123456789:AA…; the bot must be a member of the groups."),
    )
    active = forms.BooleanField(label=_("Send automatically"), required=False, initial=True)


class ZaloChannelForm(PortalForm):
    app_id = forms.CharField(label=_("App ID"), required=False, widget=secret_input())
    secret_key = forms.CharField(label=_("Secret key"), required=False, widget=secret_input())
    access_token = forms.CharField(label=_("Access token"), required=False, widget=secret_input())
    refresh_token = forms.CharField(label=_("Refresh token"), required=False, widget=secret_input())
    active = forms.BooleanField(label=_("Send automatically"), required=False, initial=True)


class ReassignForm(PortalForm):
    officer = forms.ModelChoiceField(
        label=_("Responsible officer"),
        queryset=Officer.objects.none(),
        empty_label=_("— choose an officer —"),
        error_messages={"invalid_choice": _("Choose an officer of the commune.")},
    )

    def __init__(self, *args, commune, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = commune.officers.order_by("full_name")
