"""/reports/: the archive of compliance reports, its compile form, progress and downloads."""

from django.urls import path

from reports import views

urlpatterns = [
    path("reports/", views.report_list, name="report-list"),
    path("reports/letterhead/", views.letterhead_edit, name="report-letterhead"),
    path("reports/<int:pk>/progress/", views.report_progress, name="report-progress"),
    path("reports/<int:pk>/download/", views.report_download, name="report-download"),
    path(
        "reports/<int:pk>/compile-again/",
        views.report_compile_again,
        name="report-compile-again",
    ),
]
