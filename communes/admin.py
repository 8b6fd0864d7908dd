from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

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
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "province_name", "bluzone_target_pct"]


@admin.register(Commune)
class CommuneAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "district", "bluzone_target_pct"]
    list_filter = ["district"]
    search_fields = ["code", "name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Village)
class VillageAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "commune", "households", "residents", "smartphone_users"]
    list_filter = ["commune", "kind"]
    search_fields = ["name"]
    list_select_related = ["commune"]


@admin.register(BluzoneCount)
class BluzoneCountAdmin(SimpleHistoryAdmin):
    list_display = ["village", "date", "installs"]
    list_filter = ["village__commune"]
    list_select_related = ["village"]
    date_hierarchy = "date"


@admin.register(Officer)
class OfficerAdmin(SimpleHistoryAdmin):
    list_display = ["full_name", "position", "commune", "user"]
    list_filter = ["commune"]
    search_fields = ["full_name"]
    list_select_related = ["commune", "user"]


@admin.register(UserProfile)
class UserProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "district", "commune"]
    list_filter = ["role", "commune"]
    list_select_related = ["user", "district", "commune"]


@admin.register(Field)
class FieldAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]


@admin.register(FieldAssignment)
class FieldAssignmentAdmin(admin.ModelAdmin):
    list_display = ["commune", "field", "officer"]
    list_filter = ["commune", "field"]
    list_select_related = ["commune", "field", "officer"]
