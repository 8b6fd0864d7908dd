from rest_framework.routers import SimpleRouter

from groups import api

router = SimpleRouter()
router.register("groups", api.GroupViewSet, basename="group")
router.register(
    r"groups/(?P<group_pk>\d+)/member-counts",
    api.MemberCountViewSet,
    basename="group-member-count",
)

urlpatterns = router.urls
