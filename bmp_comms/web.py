"""View plumbing shared by every app's pages: a form bound on POST, one service call whose
ValidationError goes back on the form, the shared form page, the page date rule and the
refusals of roles."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from bmp_comms.dates import local_today, parse_as_of
from bmp_comms.forms import PortalForm
from bmp_comms.permissions import can_edit_commune_data, is_district_staff, role_of

form_methods = require_http_methods(["GET", "POST"])


def require_edit(user, commune) -> None:
    """Called only on an object already in the user's scope, so a refusal here is a 403."""
    if not can_edit_commune_data(user, commune):
        raise PermissionDenied


def require_district_staff(user) -> None:
    if not is_district_staff(user):
        raise PermissionDenied


def require_role(user) -> None:
    # A login without a profile (an administrator) has no scope here.
    if role_of(user) is None:
        raise PermissionDenied


def bound(request: HttpRequest) -> dict[str, Any]:
    """The form's data (and files) on a POST, nothing on a GET."""
    if request.method != "POST":
        return {}
    return {"data": request.POST, "files": request.FILES}


def submit(request: HttpRequest, form: PortalForm, action: Callable[[dict], Any]) -> Any | None:
    """On a POST with valid input, call the service; its ValidationError goes back on the form
    (each message by its field) and nothing is saved, as the service is atomic."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        return action(form.cleaned_data)
    except ValidationError as exc:
        form.apply_service_errors(exc)
        return None


def form_status(form: PortalForm) -> int:
    """400 for a page whose form was sent and refused (docs/rules.md#bad-input), as the API
    answers the same input; 200 for a form shown to be filled in."""
    return 400 if form.is_bound and form.errors else 200


def form_page(request: HttpRequest, form: PortalForm, **context) -> HttpResponse:
    return render(
        request, "portal/form_page.html", {"form": form, **context}, status=form_status(form)
    )


def page_as_of(request: HttpRequest) -> tuple[datetime.date, str | None]:
    """`?date=` by the dashboard's date rule (bmp_comms.dates); on a page a bad date falls back
    to today, with the reason shown above the figures."""
    try:
        return parse_as_of(request.GET.get("date")), None
    except ValidationError as exc:
        return local_today(), exc.message_dict["date"][0]
