from django.contrib import admin

from notifications.models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """The notices as they were told and emailed: for looking into a complaint ("I was never
    told"), not for writing; the system alone creates them."""

    list_display = ["created_at", "user", "kind", "event", "read_at", "email_status"]
    list_select_related = ["user"]
    list_filter = ["kind", "email_status"]
    search_fields = ["event", "user__username"]
    raw_id_fields = ["user"]
    readonly_fields = ["created_at", "event", "context", "email_attempts", "emailed_at"]

    def has_add_permission(self, request) -> bool:
        return False
