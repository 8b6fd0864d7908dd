from django.urls import path

from deadlines import views

urlpatterns = [
    path("deadlines/", views.deadline_list, name="deadline-list"),
    path("deadlines/new/", views.deadline_create, name="deadline-create"),
    path("deadlines/<int:pk>/", views.deadline_detail, name="deadline-detail"),
    path("deadlines/<int:pk>/close/", views.deadline_close, name="deadline-close"),
    path("deadlines/<int:pk>/submit/", views.submission_create, name="submission-create"),
    path(
        "submissions/<int:pk>/attachment/",
        views.submission_attachment,
        name="submission-attachment",
    ),
    path("reminders/", views.reminder_list, name="reminder-list"),
    path("inspections/", views.inspection_list, name="inspection-list"),
    path("inspections/new/", views.inspection_create, name="inspection-create"),
]
