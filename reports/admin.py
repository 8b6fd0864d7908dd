from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from reports.models import (
    Deadline,
    EscalationDigest,
    Inspection,
    Reminder,
    ReminderDelivery,
    Submission,
)


@admin.register(Deadline)
class DeadlineAdmin(admin.ModelAdmin):
    list_display = ["title", "directive", "due_date", "closed_on", "district"]
    list_filter = ["district"]
    search_fields = ["title", "directive"]
    filter_horizontal = ["communes"]
    date_hierarchy = "due_date"


@admin.register(Submission)
class SubmissionAdmin(SimpleHistoryAdmin):
    list_display = ["deadline", "commune", "submitted_at", "submitted_by"]
    list_filter = ["deadline"]
    raw_id_fields = ["submitted_by"]
    # The first submission time decides "on time"; it is never edited by hand.
    readonly_fields = ["submitted_at"]


class DeliveryInline(admin.TabularInline):
    model = ReminderDelivery
    extra = 0
    raw_id_fields = ["recipient", "digest"]
    readonly_fields = ["created_at"]


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ["day", "deadline", "commune", "kind"]
    list_filter = ["kind", "day"]
    inlines = [DeliveryInline]


@admin.register(EscalationDigest)
class EscalationDigestAdmin(admin.ModelAdmin):
    list_display = ["day", "recipient", "status", "attempts", "sent_at"]
    list_filter = ["status", "day"]
    raw_id_fields = ["recipient"]
    readonly_fields = ["created_at"]


@admin.register(Inspection)
class InspectionAdmin(SimpleHistoryAdmin):
    list_display = ["date", "commune", "inspector", "follow_up_due"]
    list_filter = ["commune"]
