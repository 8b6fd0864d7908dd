from rest_framework.routers import SimpleRouter

from communes import api

router = SimpleRouter()
router.register("villages", api.VillageViewSet, basename="village")
router.register(
    r"villages/(?P<village_pk>\d+)/bluzone-counts",
    api.BluzoneCountViewSet,
    basename="village-bluzone-count",
)
router.register("officers", api.OfficerViewSet, basename="officer")
router.register("users", api.UserViewSet, basename="user")
router.register("fields", api.FieldViewSet, basename="field")
router.register("districts", api.DistrictViewSet, basename="district")
router.register("field-assignments", api.FieldAssignmentViewSet, basename="field-assignment")

urlpatterns = router.urls
