from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from bmp_comms.admin_site import TypedInputs
from communes.admin import DatedCountAdmin
from groups.models import MemberCount, MessagingGroup


@admin.register(MessagingGroup)
class MessagingGroupAdmin(TypedInputs, SimpleHistoryAdmin):
    list_display = ["name", "village", "platform", "status", "admin_name", "admin_trained"]
    list_filter = ["platform", "status", "admin_trained", "village__commune"]
    search_fields = ["name", "admin_name"]
    list_select_related = ["village"]


admin.site.register(MemberCount, DatedCountAdmin)
