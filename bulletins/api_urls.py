from rest_framework.routers import SimpleRouter

from bulletins import api

router = SimpleRouter()
router.register("bulletins", api.BulletinViewSet, basename="bulletin")
router.register("deliveries", api.DeliveryViewSet, basename="delivery")
router.register("channels", api.ChannelViewSet, basename="channel")

urlpatterns = router.urls
