from django.urls import path

from messenger import views

urlpatterns = [path("accounts/messenger/", views.messenger_page, name="messenger")]
