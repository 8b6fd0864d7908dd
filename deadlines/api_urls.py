"""/api/v1/ routes of the reports app (deadlines, submissions, reminders, inspections,
notifications)."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from reports import api

router = SimpleRouter()
router.register("deadlines", api.DeadlineViewSet, basename="api-deadline")
router.register("reminders", api.ReminderViewSet, basename="api-reminder")
router.register("inspections", api.InspectionViewSet, basename="api-inspection")
router.register("notifications", api.NotificationViewSet, basename="api-notification")

urlpatterns = [
    path(
        "deadlines/<int:pk>/submissions/",
        api.SubmissionListCreate.as_view(),
        name="api-deadline-submissions",
    ),
    path(
        "submissions/<int:pk>/attachment/",
        api.SubmissionAttachment.as_view(),
        name="api-submission-attachment",
    ),
    *router.urls,
    # reports/: the compliance report, a floor above; included by name, not imported.
    path("", include("reports.compliance.api_urls")),
]
