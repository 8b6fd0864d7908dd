"""Shared API plumbing: errors in DRF's shape whatever layer raised them."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from rest_framework import serializers
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.exceptions import NotFound
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc, context):
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
