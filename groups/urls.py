from django.urls import path

from communes.views import dated_count_create
from groups import views

urlpatterns = [
    path("groups/new/", views.group_create, name="group-create"),
    path("groups/<int:pk>/edit/", views.group_edit, name="group-edit"),
    path(
        "groups/<int:pk>/member-counts/new/",
        dated_count_create,
        {"page": views.MEMBER_COUNT_PAGE},
        name="member-count-create",
    ),
]
