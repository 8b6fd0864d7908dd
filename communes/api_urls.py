from rest_framework.routers import SimpleRouter

from communes import api

router = SimpleRouter()
router.register("communes", api.CommuneViewSet, basename="commune")
router.register("villages", api.VillageViewSet, basename="village")
router.register(
    r"villages/(?P<village_pk>\d+)/bluzone-counts",
    api.BluzoneCountViewSet,
    basename="village-bluzone-count",
)
router.register("officers", api.OfficerViewSet, basename="officer")
router.register("users", api.UserViewSet, basename="user")

urlpatterns = router.urls
