"""/api/v1/ endpoints of the deadlines app: scope, permission, serializer, one service."""

from __future__ import annotations

import datetime

from django.db.models import QuerySet
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from bmp_comms.api import FilterSet
from bmp_comms.dates import parse_as_of
from bmp_comms.permissions import DistrictStaffWrites, is_commune_user, role_of
from bmp_comms.updates import UNCHANGED
from communes.models import Commune
from deadlines import deliveries, selectors, services
from deadlines.models import Deadline, Inspection, Reminder, ReminderDelivery, Submission
from deadlines.serializers import (
    DeadlineSerializer,
    InspectionSerializer,
    NotificationSerializer,
    ReminderSerializer,
    SubmissionSerializer,
)


class HasRole(BasePermission):
    def has_permission(self, request, view) -> bool:
        return role_of(request.user) is not None


class CommuneUsersSubmit(BasePermission):
    """Reads for every scoped user; a submission is made by the commune's own users only."""

    def has_permission(self, request, view) -> bool:
        if role_of(request.user) is None:
            return False
        return request.method in SAFE_METHODS or is_commune_user(request.user)


def as_of_from(request) -> datetime.date:
    """The dashboard's date rule; a bad date is a 400 naming `date`."""
    return parse_as_of(request.query_params.get("date"))


def scoped_communes(user) -> QuerySet[Commune]:
    return Commune.objects.for_user(user)


class DeadlineViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Deadlines with their reporting rate and timeliness as of `?date=` (default today), counted
    over the communes the user may see. District staff create and correct them, and close one
    with PATCH {closed_on} (no deletion: a deadline carries the communes' reports and the
    reminder log)."""

    serializer_class = DeadlineSerializer
    permission_classes = [DistrictStaffWrites]
    filterset_fields = ["due_date", "directive"]

    def get_queryset(self):
        return Deadline.objects.for_user(self.request.user).prefetch_related("communes")

    def _context_for(self, deadlines: list[Deadline]) -> dict:
        as_of = as_of_from(self.request)
        chosen = Deadline.objects.for_user(self.request.user).filter(
            pk__in=[deadline.pk for deadline in deadlines]
        )
        communes = scoped_communes(self.request.user).serving(as_of)
        return {
            **self.get_serializer_context(),
            "as_of": as_of,
            "figures": selectors.deadline_figures(chosen, as_of, communes),
            "missing": selectors.missing_communes(chosen, as_of, communes),
        }

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        rows = list(page if page is not None else queryset)
        serializer = DeadlineSerializer(rows, many=True, context=self._context_for(rows))
        if page is not None:
            return self.get_paginated_response(serializer.data)
        return Response(serializer.data)

    def retrieve(self, request, *args, **kwargs):
        deadline = self.get_object()
        context = self._context_for([deadline])
        return Response(DeadlineSerializer(deadline, context=context).data)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        deadline = services.deadline_create(
            district=request.user.profile.district,
            title=data["title"],
            directive=data.get("directive", ""),
            due_date=data["due_date"],
            description=data.get("description", ""),
            communes=data.get("communes"),
            created_by=request.user,
        )
        context = self._context_for([deadline])
        return Response(DeadlineSerializer(deadline, context=context).data, status=201)

    def update(self, request, *args, **kwargs):
        deadline = self.get_object()
        serializer = self.get_serializer(
            deadline, data=request.data, partial=kwargs.get("partial", False)
        )
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        services.deadline_update(
            deadline=deadline,
            communes=data.pop("communes", None),
            closed_on=data.pop("closed_on", UNCHANGED),
            **data,
        )
        context = self._context_for([deadline])
        return Response(DeadlineSerializer(deadline, context=context).data)


@extend_schema_view(
    post=extend_schema(responses={201: SubmissionSerializer, 200: SubmissionSerializer})
)
class SubmissionListCreate(generics.ListCreateAPIView):
    """A deadline's submissions (the user's own commune's for commune users); POST submits or
    resubmits for the user's commune: 201 the first time, 200 for a resubmission."""

    serializer_class = SubmissionSerializer
    permission_classes = [CommuneUsersSubmit]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema has no request to scope by
            return Submission.objects.none()
        deadline = get_object_or_404(
            Deadline.objects.for_user(self.request.user), pk=self.kwargs["pk"]
        )
        return (
            Submission.objects.for_user(self.request.user)
            .filter(deadline=deadline)
            .select_related("deadline", "commune")
            .order_by("commune__name")
        )

    def create(self, request, *args, **kwargs):
        # A deadline that does not cover the user's commune is not found, as when reading it.
        deadline = get_object_or_404(Deadline.objects.for_user(request.user), pk=kwargs["pk"])
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        submission, created = services.submission_submit(
            actor=request.user,
            deadline=deadline,
            commune=data.get("commune") or request.user.profile.commune,
            note=data.get("note"),
            attachment=data.get("attachment"),
        )
        return Response(
            SubmissionSerializer(submission, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class SubmissionAttachment(APIView):
    """A submission's attachment through the scope check, by token or session: media files
    are not served publicly. Another commune's is not found."""

    permission_classes = [HasRole]

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    def get(self, request, pk: int):
        submission = get_object_or_404(Submission.objects.for_user(request.user), pk=pk)
        if not submission.attachment:
            raise Http404
        return FileResponse(
            submission.attachment.open("rb"),
            as_attachment=True,
            filename=submission.attachment.name.rsplit("/", 1)[-1],
        )


class ReminderFilter(FilterSet):
    # Numbers, not choices among every deadline and commune: an id outside the scope answers
    # like one that does not exist (an empty list).
    deadline = filters.NumberFilter(field_name="deadline")
    commune = filters.NumberFilter(field_name="commune")

    class Meta:
        model = Reminder
        fields = ["deadline", "commune", "kind", "day"]


class ReminderViewSet(viewsets.ReadOnlyModelViewSet):
    """The reminder log: one row per reminder with its channels (who, how, delivered or not)."""

    serializer_class = ReminderSerializer
    permission_classes = [HasRole]
    filterset_class = ReminderFilter

    def get_queryset(self):
        return deliveries.reminder_log(Reminder.objects.for_user(self.request.user))


class InspectionFilter(FilterSet):
    commune = filters.NumberFilter(field_name="commune")

    class Meta:
        model = Inspection
        fields = ["commune"]


class InspectionViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Inspections of communes; district staff record them, and a follow-up due date becomes a
    deadline for the commune."""

    serializer_class = InspectionSerializer
    permission_classes = [DistrictStaffWrites]
    filterset_class = InspectionFilter

    def get_queryset(self):
        return (
            Inspection.objects.for_user(self.request.user)
            .select_related("commune", "follow_up_deadline")
            .order_by("-date", "-pk")
        )

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        inspection = services.inspection_record(
            actor=request.user,
            commune=data["commune"],
            date=data["date"],
            inspector=data["inspector"],
            findings=data["findings"],
            follow_up_due=data.get("follow_up_due"),
        )
        return Response(self.get_serializer(inspection).data, status=201)


class NotificationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The user's in-app reminders (the bell), newest first; `?unread=1` for the unread only."""

    serializer_class = NotificationSerializer
    permission_classes = [HasRole]
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema has no request to scope by
            return ReminderDelivery.objects.none()
        notifications = deliveries.notifications_for(self.request.user)
        if self.request.query_params.get("unread") in ("1", "true"):
            notifications = notifications.filter(read_at__isnull=True)
        return notifications

    @extend_schema(request=None, responses={200: dict})
    @action(detail=False, methods=["get"], url_path="unread-count")
    def unread_count(self, request):
        return Response({"count": deliveries.unread_count(request.user)})

    @extend_schema(request=None, responses={200: dict})
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        notification = get_object_or_404(deliveries.notifications_for(request.user), pk=pk)
        services.notifications_mark_read(user=request.user, ids=[notification.pk])
        return Response({"read": 1})

    @extend_schema(request=None, responses={200: dict})
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        return Response({"read": services.notifications_mark_read(user=request.user)})
