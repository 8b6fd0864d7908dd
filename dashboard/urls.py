"""The district dashboard, the commune drill-down, their exports and the dashboard API."""

from django.urls import path

from dashboard import api as dashboard_api
from dashboard import views as dashboard_views

urlpatterns = [
    path("dashboard/", dashboard_views.dashboard, name="dashboard"),
    path(
        "dashboard/export.<str:fmt>",
        dashboard_views.dashboard_export,
        name="dashboard-export",
    ),
    path("communes/<commune_code:code>/", dashboard_views.commune_detail, name="commune-detail"),
    # Declared here with its full path so the dashboard area stays in one module.
    path("api/v1/dashboard/", dashboard_api.DashboardView.as_view(), name="api-dashboard"),
]
