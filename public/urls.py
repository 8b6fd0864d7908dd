from django.urls import path

from public import feeds, views

urlpatterns = [
    path("v/<str:code>/", views.verify, name="public-verify"),
    path("c/<commune_code:code>/", views.commune_page, name="public-commune"),
    path("c/<commune_code:code>/feed.xml", feeds.commune_feed, name="public-feed"),
]
