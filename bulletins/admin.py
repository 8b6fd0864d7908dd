from django.contrib import admin

from bulletins.models import Field, FieldAssignment


@admin.register(Field)
class FieldAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]


@admin.register(FieldAssignment)
class FieldAssignmentAdmin(admin.ModelAdmin):
    list_display = ["commune", "field", "officer"]
    list_filter = ["commune", "field"]
    list_select_related = ["commune", "field", "officer"]
