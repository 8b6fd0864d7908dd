from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from bmp_comms.admin_site import TypedInputs
from communes.models import (
    BluzoneCount,
    Commune,
    District,
    Field,
    FieldAssignment,
    Officer,
    UserProfile,
    Village,
)


@admin.register(District)
class DistrictAdmin(TypedInputs, admin.ModelAdmin):
    list_display = ["code", "name", "kind", "province_name", "bluzone_target_pct"]
    list_filter = ["kind"]


@admin.register(Commune)
class CommuneAdmin(TypedInputs, admin.ModelAdmin):
    list_display = ["code", "name", "kind", "district", "bluzone_target_pct"]
    list_filter = ["district", "kind"]
    search_fields = ["code", "name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Village)
class VillageAdmin(TypedInputs, SimpleHistoryAdmin):
    list_display = ["name", "kind", "commune", "households", "residents", "smartphone_users"]
    list_filter = ["commune", "kind"]
    search_fields = ["name"]
    list_select_related = ["commune"]


class DatedCountAdmin(TypedInputs, SimpleHistoryAdmin):
    """A dated count (communes.models.DatedCount): its owner, date and number, by commune."""

    date_hierarchy = "date"

    def get_list_display(self, request):
        return [self.model.owner_field, "date", self.model.value_field]

    def get_list_filter(self, request):
        return [self.model.commune_scope]

    def get_list_select_related(self, request):
        return [self.model.owner_field]

    def get_fields(self, request, obj=None):
        return [self.model.owner_field, "date", self.model.value_field, "recorded_by"]


admin.site.register(BluzoneCount, DatedCountAdmin)


@admin.register(Officer)
class OfficerAdmin(TypedInputs, SimpleHistoryAdmin):
    list_display = ["full_name", "position", "commune", "user"]
    list_filter = ["commune"]
    search_fields = ["full_name"]
    list_select_related = ["commune", "user"]


@admin.register(UserProfile)
class UserProfileAdmin(TypedInputs, admin.ModelAdmin):
    list_display = ["user", "role", "district", "commune"]
    list_filter = ["role", "commune"]
    list_select_related = ["user", "district", "commune"]


@admin.register(Field)
class FieldAdmin(TypedInputs, admin.ModelAdmin):
    list_display = ["code", "name"]


@admin.register(FieldAssignment)
class FieldAssignmentAdmin(TypedInputs, admin.ModelAdmin):
    list_display = ["commune", "field", "officer"]
    list_filter = ["commune", "field"]
    list_select_related = ["commune", "field", "officer"]
