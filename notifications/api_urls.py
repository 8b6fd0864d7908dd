"""/api/v1/ routes of the notifications app."""

from rest_framework.routers import SimpleRouter

from notifications import api

router = SimpleRouter()
router.register("notifications", api.NotificationViewSet, basename="api-notification")

urlpatterns = router.urls
