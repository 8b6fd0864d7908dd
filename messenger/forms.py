from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from bmp_comms.forms import PortalForm
from messenger.models import MessengerPlatform

CHOOSE = _("Choose Telegram or Zalo Bot.")


class MessengerActionForm(PortalForm):
    """A button of the page: make a deep link for the platform, or unlink it. `platform` is
    the API's field."""

    platform = forms.ChoiceField(
        choices=MessengerPlatform.choices,
        error_messages={"required": CHOOSE, "invalid_choice": CHOOSE},
    )
    action = forms.ChoiceField(
        choices=[("link", _("Link")), ("unlink", _("Unlink"))],
        error_messages={
            "required": _("Choose to link or to unlink."),
            "invalid_choice": _("Choose to link or to unlink."),
        },
    )
