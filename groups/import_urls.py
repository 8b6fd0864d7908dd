"""Spreadsheet imports: the pages, the template files and the API (declared here with their full
/api/v1/ paths, beside the communes router rather than inside it)."""

from django.urls import path, re_path

from groups import import_api, import_views

urlpatterns = [
    path(
        "communes/<commune_code:code>/import/villages/",
        import_views.import_villages,
        name="import-villages",
    ),
    path(
        "communes/<commune_code:code>/import/member-counts/",
        import_views.import_member_counts,
        name="import-member-counts",
    ),
    re_path(
        r"^import/templates/(?P<kind>villages|member-counts)\.(?P<fmt>csv|xlsx)$",
        import_views.import_template,
        name="import-template",
    ),
    path(
        "api/v1/communes/<int:pk>/import/villages/",
        import_api.VillagesImportView.as_view(),
        name="api-import-villages",
    ),
    path(
        "api/v1/communes/<int:pk>/import/member-counts/",
        import_api.MemberCountsImportView.as_view(),
        name="api-import-member-counts",
    ),
]
