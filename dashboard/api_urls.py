from rest_framework.routers import SimpleRouter

from dashboard import api

router = SimpleRouter()
router.register("communes", api.CommuneViewSet, basename="commune")

urlpatterns = [*router.urls]
