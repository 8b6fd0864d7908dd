"""The messengers in the admin site, to look into: who linked which platform, and what each
direct message came to. Links are made by the bot and unlinked by their owner, so none is added
here; the link codes, which would link a chat to an account, are not shown at all."""

from django.contrib import admin

from messenger.models import DirectMessage, MessengerLink


@admin.register(MessengerLink)
class MessengerLinkAdmin(admin.ModelAdmin):
    list_display = ("user", "platform", "linked_at")
    list_filter = ("platform",)
    search_fields = ("user__username",)
    readonly_fields = ("user", "platform", "chat_id", "linked_at")

    def has_add_permission(self, request):
        return False


@admin.register(DirectMessage)
class DirectMessageAdmin(admin.ModelAdmin):
    list_display = ("notification", "platform", "status", "attempts", "created_at", "sent_at")
    list_filter = ("platform", "status")
    readonly_fields = [field.name for field in DirectMessage._meta.fields]

    def has_add_permission(self, request):
        return False
