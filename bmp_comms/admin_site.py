"""The admin site reads every row: it is for administrators, who have no commune and no
district, and whose pages (lists, filters, choice lists, inlines, history) query through the
models' default managers, which fail closed outside `unscoped()` (bmp_comms.scoping).

Its forms read numbers and dates as the pages do (`TypedInputs`, docs/rules.md#typed-input)."""

from __future__ import annotations

import functools

from django import forms
from django.contrib import admin
from django.contrib.admin import widgets
from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig
from django.db import models

from bmp_comms import typed
from bmp_comms.scoping import unscoped


class AdminNumberInput(typed.NumberInput):
    def __init__(self, attrs=None):
        super().__init__({"class": "vIntegerField", **(attrs or {})})


class AdminDayInput(widgets.AdminDateWidget):
    """The admin's own calendar (which writes the language's first input format, dd/mm/yyyy
    by bmp_comms/formats), showing the day dd/mm/yyyy."""

    def __init__(self, attrs=None, format=None):
        super().__init__(attrs=attrs, format=typed.DAY_FORMAT)


class TypedInputs:
    """A ModelAdmin or inline mixin: a number typed as the pages read it (`1.000` is a
    thousand in Vietnamese, `1.00` is refused) where Django's IntegerField would take `1.000`
    for 1, and a day typed dd/mm/yyyy in either language."""

    formfield_overrides = {
        models.IntegerField: {"form_class": typed.IntegerField, "widget": AdminNumberInput},
        models.BigIntegerField: {"form_class": typed.IntegerField, "widget": AdminNumberInput},
        models.DateField: {"form_class": typed.DayField, "widget": AdminDayInput},
        models.DateTimeField: {
            "form_class": forms.SplitDateTimeField,
            "widget": widgets.AdminSplitDateTime,
            "input_date_formats": typed.DAY_INPUT_FORMATS,
        },
    }


class AdminSite(admin.AdminSite):
    def admin_view(self, view, cacheable=False):
        checked = super().admin_view(view, cacheable)

        @functools.wraps(checked)
        def unscoped_view(request, *args, **kwargs):
            with unscoped():
                response = checked(request, *args, **kwargs)
                # A page is a TemplateResponse, rendered after the view returns: render it here,
                # where its template may still query every row.
                if callable(getattr(response, "render", None)) and not response.is_rendered:
                    response.render()
                return response

        return unscoped_view


class AdminConfig(DjangoAdminConfig):
    default_site = "bmp_comms.admin_site.AdminSite"
