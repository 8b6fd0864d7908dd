"""Form plumbing shared by every app's pages: Bootstrap classes, errors beside their field
whichever layer raised them, and the inputs for counts and dates that people type (read as
bmp_comms.typed reads them)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from bmp_comms import typed
from bmp_comms.dates import local_today
from bmp_comms.validation import NOT_A_NUMBER

REQUIRED = _("Please fill in this field.")
DJANGO_REQUIRED = forms.Field.default_error_messages["required"]


class PortalForm(forms.Form):
    """Bootstrap classes, and errors beside their field whichever layer raised them; the markup
    is templates/portal/_form.html."""

    required_css_class = "required"
    # Where a service's error about something the form does not show belongs instead.
    error_fields: dict[str, str] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            # Django's own wording only; a field with its own message keeps it.
            if field.error_messages.get("required") is DJANGO_REQUIRED:
                field.error_messages["required"] = REQUIRED
            widget = field.widget
            base = {
                forms.CheckboxInput: "form-check-input",
                forms.CheckboxSelectMultiple: "form-check-input",
                forms.Select: "form-select",
            }.get(type(widget), "form-control")
            widget.attrs["class"] = base
            widget.attrs.setdefault("aria-describedby", f"id_{name}_errors")

    def add_error(self, field, error):
        super().add_error(field, error)
        # Service errors arrive after cleaning, so the invalid state is marked here, not in clean().
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                if "is-invalid" not in attrs.get("class", ""):
                    attrs["class"] = f"{attrs.get('class', '')} is-invalid".strip()
                attrs["aria-invalid"] = "true"

    def apply_service_errors(self, exc: ValidationError) -> None:
        """Put a service's ValidationError back on the form: each message by its field, and one
        about something the form does not show at the top."""
        if not hasattr(exc, "error_dict"):
            self.add_error(None, exc)
            return
        for name, errors in exc.error_dict.items():
            target = self.error_fields.get(name, name)
            self.add_error(target if target in self.fields else None, errors)


def count_field(label) -> typed.IntegerField:
    # Only parsed here (`1.000` is a thousand on a Vietnamese page): a number below 0 is
    # refused by the service, with the message the API gives too (bmp_comms.validation).
    return typed.IntegerField(label=label, error_messages={"invalid": NOT_A_NUMBER})


def date_field(label, *, required: bool = True, **kwargs) -> typed.DayField:
    # dd/mm/yyyy whatever the browser's language; which dates make sense is the service's.
    return typed.DayField(label=label, required=required, **kwargs)


def latest_day(field: forms.Field, day) -> None:
    """The calendar beside a date field offers nothing after `day` (static/js/datepicker.js);
    typing a later one is the service's to refuse."""
    field.widget.attrs["data-max"] = day.isoformat()


class CountForm(PortalForm):
    """A dated count: its calendar stops at today, set per request as "today" moves."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        latest_day(self.fields["date"], local_today())
        if not self.is_bound:
            self.initial.setdefault("date", local_today())
