from django.urls import path

from groups import views

urlpatterns = [
    path("groups/new/", views.group_create, name="group-create"),
    path("groups/<int:pk>/edit/", views.group_edit, name="group-edit"),
    path(
        "groups/<int:pk>/member-counts/new/",
        views.member_count_create,
        name="member-count-create",
    ),
]
