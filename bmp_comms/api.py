"""Shared API plumbing: errors in DRF's shape whatever layer raised them, scoped related ids,
routes nested under a parent, and the dated counts of villages and groups."""

import functools
import logging

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.exceptions import APIException, NotFound, ParseError
from rest_framework.views import exception_handler as drf_exception_handler

from bmp_comms.permissions import CommuneDataWrites
from bmp_comms.validation import NOT_A_NUMBER
from communes.services import dated_count_correct, dated_count_record


class RequestTooLarge(APIException):
    """A body above DATA_UPLOAD_MAX_MEMORY_SIZE. 413 rather than 400: it is the status a
    reverse proxy gives a body above its own limit, so a client sees one answer for "too
    large" whichever layer stops it, and knows that sending it again will not help."""

    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "request_too_large"

    def __init__(self):
        limit = filesizeformat(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
        super().__init__(_("The request is too large (at most %(limit)s).") % {"limit": limit})


def request_error(exc: SuspiciousOperation) -> APIException:
    """A request Django refuses to read (too large, too many fields) as DRF's error; logged to
    django.security like Django's own handler does."""
    logging.getLogger(f"django.security.{type(exc).__name__}").error(str(exc))
    if isinstance(exc, RequestDataTooBig):
        return RequestTooLarge()
    return ParseError()


def exception_handler(exc, context):
    # A body too large, too many fields: Django would answer its HTML "Bad Request" page.
    if isinstance(exc, SuspiciousOperation):
        exc = request_error(exc)
    # Services raise Django's ValidationError; answer it as DRF's 400 {field: [messages]}.
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            detail = {
                ("non_field_errors" if field == "__all__" else field): messages
                for field, messages in exc.message_dict.items()
            }
        else:
            detail = {"non_field_errors": exc.messages}
        exc = serializers.ValidationError(detail)
    # Django's 404 names the model in English; the API answers DRF's own, translated, message.
    if isinstance(exc, Http404):
        exc = NotFound()
    return drf_exception_handler(exc, context)


# Token first: an anonymous client is then told 401 with `WWW-Authenticate: Token` (with session
# first DRF can only answer 403), and a request carrying a token needs no CSRF cookie.
API_AUTHENTICATION = [TokenAuthentication, SessionAuthentication]


class ScopedPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """A related id that must be in the user's scope (`Model.objects.for_user`): an id outside it
    is answered like one that does not exist, 400 "invalid pk", so ids of other communes do not
    leak. Writers' scope equals what they may edit (commune users: their commune; district staff:
    their district)."""

    def get_queryset(self):
        request = self.context["request"]
        return super().get_queryset().for_user(request.user)


class NestedUnderParentMixin:
    """Routes under a parent row (`groups/<id>/member-counts/`): the parent is looked up in the
    user's scope before the body is read, so another commune's parent is a 404 whatever is sent,
    and writes are checked against the parent's commune."""

    parent_lookup_kwarg: str

    def get_parent_queryset(self):
        raise NotImplementedError

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.parent = get_object_or_404(
            self.get_parent_queryset(), pk=self.kwargs[self.parent_lookup_kwarg]
        )
        self.check_object_permissions(request, self.parent)


def dated_count_schema(*, parent_kwarg: str):
    """The OpenAPI description of a DatedCountViewSet: its parent id and the count's date in the
    path (drf-spectacular cannot infer either from the nested route)."""
    date_in_path = OpenApiParameter("date", OpenApiTypes.DATE, "path")

    def decorate(viewset):
        viewset = extend_schema_view(
            retrieve=extend_schema(parameters=[date_in_path]),
            partial_update=extend_schema(
                parameters=[date_in_path],
                description="Correct the count of that date; the earlier value stays in the "
                "history.",
            ),
        )(viewset)
        return extend_schema(parameters=[OpenApiParameter(parent_kwarg, OpenApiTypes.INT, "path")])(
            viewset
        )

    return decorate


class CountField(serializers.IntegerField):
    """A count as it is sent: a whole number, or the pages' message for one that is not. A
    number below 0 is the service's to refuse, with the message the pages give too."""

    default_error_messages = {"invalid": NOT_A_NUMBER}

    def __init__(self, **kwargs):
        min_value = kwargs.pop("min_value", 0)
        super().__init__(**kwargs)
        # For the schema only: no validator is made for it here (see the docstring).
        self.min_value = min_value


class CountFieldsSerializer(serializers.ModelSerializer):
    # A model's counts (PositiveIntegerField) become CountFields, with the model's label and
    # upper bound, so the schema stays as it was. (No docstring: it would describe them all.)
    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.PositiveIntegerField: CountField,
    }


CORRECTION = "A correction changes the number of a dated count; its date is its identity."


@functools.cache
def dated_count_serializer(model, *, correct: bool = False) -> type[serializers.Serializer]:
    """{date, <value>} of a dated count (`members`, `installs`); in a correction the date is
    read-only, as it is the count's identity. One class per model and kind, named as the
    schema's components have been (MemberCount, PatchedBluzoneCountCorrect…)."""
    meta = type(
        "Meta",
        (),
        {
            "model": model,
            "fields": ["date", model.value_field],
            "read_only_fields": ["date"] if correct else [],
        },
    )
    name = f"{model.__name__}{'Correct' if correct else ''}Serializer"
    attrs = {"Meta": meta, "__module__": __name__, "__doc__": CORRECTION if correct else None}
    return type(name, (CountFieldsSerializer,), attrs)


class DatedCountViewSet(
    NestedUnderParentMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Counts kept as history under their owner, one per owner and date, addressed by the date
    (`groups/<id>/member-counts/2021-08-01/`): POST records a new date, PATCH corrects one
    through the service (the earlier value stays in the history); nothing is deleted. A
    subclass names its `count_model` (a communes.models.DatedCount) and its parent's URL
    keyword; the owner, its scope and the serializers follow from the model."""

    authentication_classes = API_AUTHENTICATION
    permission_classes = [CommuneDataWrites]
    lookup_field = "date"
    lookup_value_regex = r"\d{4}-\d{2}-\d{2}"
    http_method_names = ["get", "post", "patch", "head", "options"]

    count_model: type

    def get_serializer_class(self):
        return dated_count_serializer(self.count_model, correct=self.action == "partial_update")

    def get_parent_queryset(self):
        owner_model = self.count_model.owner_model()
        return owner_model.objects.for_user(self.request.user).select_related(
            owner_model.commune_scope
        )

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.count_model.objects.none()
        return self.count_model.objects.for_user(self.request.user).filter(
            **{self.count_model.owner_field: self.parent}
        )

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = dated_count_record(
            model=self.count_model,
            owner=self.parent,
            date=data["date"],
            value=data[self.count_model.value_field],
            actor=self.request.user,
        )

    def perform_update(self, serializer):
        count = serializer.instance
        serializer.instance = dated_count_correct(
            count=count,
            value=serializer.validated_data.get(count.value_field, count.value),
            actor=self.request.user,
        )
