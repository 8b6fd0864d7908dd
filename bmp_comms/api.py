"""Shared API plumbing: errors in DRF's shape whatever layer raised them, scoped related ids and
filters, routes nested under a parent, and the dated counts of villages and groups."""

import logging
import re

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django_filters import rest_framework as filters
from rest_framework import serializers, status
from rest_framework.exceptions import APIException, NotFound, ParseError
from rest_framework.views import exception_handler as drf_exception_handler

from bmp_comms.scoping import ScopedManager, ScopeError, unscoped
from bmp_comms.validation import NOT_A_NUMBER


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


class ScopedPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """A related id that must be in the user's scope (`Model.objects.for_user`): an id outside it
    is answered like one that does not exist, 400 "invalid pk", so ids of other communes do not
    leak. Writers' scope equals what they may edit (commune users: their commune; district staff:
    their district).

    Declared with the model's manager (`queryset=Commune.objects`), not a queryset: a serializer
    class is built at import, where a commune-owned model cannot be queried unscoped."""

    def get_queryset(self):
        request = self.context["request"]
        return self.queryset.for_user(request.user)


class FilterSet(filters.FilterSet):
    """django-filter resolves the lookups of `Meta.fields` through the model's default manager
    when the class is built (at import, or per request for a view's `filterset_fields`); it
    reads no row, so that step runs unscoped. A filter on a commune-owned relation must be a
    `NumberFilter`: a choice among every row would check ids outside the user's scope."""

    @classmethod
    def get_filters(cls):
        with unscoped():
            built = super().get_filters()
        for name, one in built.items():
            choices = one.extra.get("queryset")
            if isinstance(getattr(choices, "model", None), type) and isinstance(
                choices.model._default_manager, ScopedManager
            ):
                raise ScopeError(f"{cls.__name__}.{name}: declare a NumberFilter, not a choice")
        return built


class FilterBackend(filters.DjangoFilterBackend):
    """`filterset_fields` of a view are built on our FilterSet (settings.REST_FRAMEWORK)."""

    filterset_base = FilterSet


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


class CountField(serializers.IntegerField):
    """A count as it is sent: a whole number, or the pages' message for one that is not. A
    number below 0 is the service's to refuse, with the message the pages give too.

    The API takes JSON numbers (docs/rules.md#typed-input); text is read only as plain digits
    (form-encoded bodies send text). DRF's own field would read "1.000" as 1, dropping
    ".000", where a Vietnamese reader means a thousand: such text is refused, never read as
    another number."""

    default_error_messages = {"invalid": NOT_A_NUMBER}
    plain_digits = re.compile(r"\s*-?\d{1,18}\s*")

    def __init__(self, **kwargs):
        min_value = kwargs.pop("min_value", 0)
        super().__init__(**kwargs)
        # For the schema only: no validator is made for it here (see the docstring).
        self.min_value = min_value

    def to_internal_value(self, data):
        if isinstance(data, bool):
            self.fail("invalid")
        if isinstance(data, int):
            return data
        if isinstance(data, float) and data.is_integer():
            return int(data)
        if isinstance(data, str) and self.plain_digits.fullmatch(data):
            return int(data)
        self.fail("invalid")


class CountFieldsSerializer(serializers.ModelSerializer):
    # A model's counts (PositiveIntegerField) become CountFields, with the model's label and
    # upper bound, so the schema stays as it was. (No docstring: it would describe them all.)
    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.PositiveIntegerField: CountField,
    }
