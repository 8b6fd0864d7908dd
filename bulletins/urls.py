from django.urls import path, re_path

from bulletins import commune_views, delivery_views, views

urlpatterns = [
    path("bulletins/", views.bulletin_list, name="bulletin-list"),
    path("bulletins/new/", views.bulletin_create, name="bulletin-create"),
    path("bulletins/checks/", views.bulletin_checks, name="bulletin-checks"),
    path("bulletins/review/", views.review_queue, name="bulletin-review"),
    path("bulletins/<int:pk>/", views.bulletin_detail, name="bulletin-detail"),
    path("bulletins/<int:pk>/edit/", views.bulletin_edit, name="bulletin-edit"),
    path("bulletins/<int:pk>/qr.svg", views.bulletin_qr, name="bulletin-qr"),
    re_path(
        r"^bulletins/(?P<pk>\d+)/(?P<action>submit|approve|reject|publish)/$",
        views.bulletin_action,
        name="bulletin-action",
    ),
    path("deliveries/<int:pk>/confirm/", delivery_views.delivery_confirm, name="delivery-confirm"),
    path("communes/<commune_code:code>/channels/", commune_views.channel_list, name="channel-list"),
    path(
        "communes/<commune_code:code>/fields/",
        commune_views.field_responsibility,
        name="field-responsibility",
    ),
    path(
        "field-assignments/<int:pk>/edit/",
        commune_views.field_assignment_edit,
        name="field-assignment-edit",
    ),
]
