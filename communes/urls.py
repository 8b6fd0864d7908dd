"""Pages that write communes' data; the commune page itself is in dashboard_urls."""

from django.urls import path

from communes import views

urlpatterns = [
    # Before `communes/<code>/` (dashboard_urls) in the root list, so "new" is never a code.
    path("communes/new/", views.commune_create, name="commune-create"),
    path("communes/<commune_code:code>/villages/new/", views.village_create, name="village-create"),
    path("villages/<int:pk>/edit/", views.village_edit, name="village-edit"),
    path(
        "villages/<int:pk>/bluzone-counts/new/",
        views.dated_count_create,
        {"page": views.BLUZONE_COUNT_PAGE},
        name="bluzone-count-create",
    ),
    path("communes/<commune_code:code>/officers/", views.officer_list, name="officer-list"),
    path("communes/<commune_code:code>/officers/new/", views.officer_create, name="officer-create"),
    path("officers/<int:pk>/edit/", views.officer_edit, name="officer-edit"),
    path("users/", views.user_list, name="user-list"),
    path("users/new/", views.user_create, name="user-create"),
    path("users/<int:pk>/edit/", views.user_edit, name="user-edit"),
]
