from rest_framework.routers import SimpleRouter

from bulletins import api

router = SimpleRouter()
router.register("fields", api.FieldViewSet, basename="field")
router.register("field-assignments", api.FieldAssignmentViewSet, basename="field-assignment")

urlpatterns = router.urls
