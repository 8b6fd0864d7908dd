from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import ForeignKeyRawIdWidget
from django.urls import NoReverseMatch, reverse
from django.utils.text import Truncator
from simple_history.admin import SimpleHistoryAdmin

from bmp_comms.admin_site import TypedInputs
from deadlines.models import (
    Deadline,
    EscalationDigest,
    Inspection,
    Reminder,
    ReminderDelivery,
    Submission,
)


@admin.register(Deadline)
class DeadlineAdmin(TypedInputs, admin.ModelAdmin):
    list_display = ["title", "directive", "due_date", "closed_on", "district"]
    list_filter = ["district"]
    search_fields = ["title", "directive"]
    filter_horizontal = ["communes"]
    date_hierarchy = "due_date"

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # An inspection is named by its commune: one query for the whole list of choices.
        if db_field.name == "inspection":
            kwargs["queryset"] = Inspection.objects.select_related("commune")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Submission)
class SubmissionAdmin(TypedInputs, SimpleHistoryAdmin):
    list_display = ["deadline", "commune", "submitted_at", "submitted_by"]
    # submitted_by may be empty, so the admin's own select_related() would leave it out.
    list_select_related = ["deadline", "commune", "submitted_by"]
    list_filter = ["deadline"]
    raw_id_fields = ["submitted_by"]
    # The first submission time decides "on time"; it is never edited by hand.
    readonly_fields = ["submitted_at"]


class ChosenRawIdWidget(ForeignKeyRawIdWidget):
    """A raw id whose row the form already holds (`chosen`): labelled from it as the admin's
    own widget labels it, where that widget reads the row again, one query per inline row."""

    chosen = None

    def label_and_url_for_value(self, value):
        chosen = self.chosen
        if chosen is None or str(chosen.pk) != str(value):
            return super().label_and_url_for_value(value)
        meta = chosen._meta
        try:
            url = reverse(
                f"{self.admin_site.name}:{meta.app_label}_{meta.model_name}_change",
                args=(chosen.pk,),
            )
        except NoReverseMatch:
            url = ""
        return Truncator(chosen).words(14), url


class DeliveryForm(forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Loaded with the rows (DeliveryInline.get_queryset); a new row has none yet.
        for name in ("recipient", "digest"):
            widget = self.fields[name].widget
            if isinstance(widget, ChosenRawIdWidget) and getattr(self.instance, f"{name}_id"):
                widget.chosen = getattr(self.instance, name)


class DeliveryInline(TypedInputs, admin.TabularInline):
    model = ReminderDelivery
    form = DeliveryForm
    extra = 0
    raw_id_fields = ["recipient", "digest"]
    readonly_fields = ["created_at"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.raw_id_fields:
            kwargs["widget"] = ChosenRawIdWidget(
                db_field.remote_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_queryset(self, request):
        # Each row is titled by its reminder (deadline, commune) and its recipient, and its
        # raw ids are labelled by the recipient and the digest (named by its recipient).
        return (
            super()
            .get_queryset(request)
            .select_related(
                "reminder__deadline", "reminder__commune", "recipient", "digest__recipient"
            )
        )


@admin.register(Reminder)
class ReminderAdmin(TypedInputs, admin.ModelAdmin):
    list_display = ["day", "deadline", "commune", "kind"]
    list_filter = ["kind", "day"]
    inlines = [DeliveryInline]


@admin.register(EscalationDigest)
class EscalationDigestAdmin(TypedInputs, admin.ModelAdmin):
    list_display = ["day", "recipient", "status", "attempts", "sent_at"]
    list_filter = ["status", "day"]
    raw_id_fields = ["recipient"]
    readonly_fields = ["created_at"]


@admin.register(Inspection)
class InspectionAdmin(TypedInputs, SimpleHistoryAdmin):
    list_display = ["date", "commune", "inspector", "follow_up_due"]
    list_filter = ["commune"]
