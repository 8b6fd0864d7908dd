from django.urls import path

from messenger import api

urlpatterns = [path("messenger/", api.MessengerView.as_view(), name="messenger-api")]
