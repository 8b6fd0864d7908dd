"""/api/v1/ routes of the deadlines app (deadlines, submissions, reminders, inspections)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from deadlines import api

router = SimpleRouter()
router.register("deadlines", api.DeadlineViewSet, basename="api-deadline")
router.register("reminders", api.ReminderViewSet, basename="api-reminder")
router.register("inspections", api.InspectionViewSet, basename="api-inspection")

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
]
