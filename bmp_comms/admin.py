from django.contrib import admin

from bmp_comms.admin_site import TypedInputs
from bmp_comms.models import KnownLoginAddress


@admin.register(KnownLoginAddress)
class KnownLoginAddressAdmin(TypedInputs, admin.ModelAdmin):
    """Where each user has logged in. Deleting a row makes the per-username login budget count
    attempts from that address again (a network that should no longer be trusted)."""

    list_display = ("user", "address", "last_login_at")
    search_fields = ("user__username", "address")
    readonly_fields = ("user", "address", "last_login_at")

    def has_add_permission(self, request):
        return False
