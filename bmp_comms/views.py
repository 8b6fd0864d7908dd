import logging

from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import RequestDataTooBig
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.cache import never_cache
from rest_framework import exceptions

from bmp_comms.api import RequestTooLarge
from bmp_comms.celery import app as celery_app
from bmp_comms.login_throttle import LoginAttempts
from bmp_comms.permissions import is_district_user, role_of

logger = logging.getLogger(__name__)


@login_required
def home(request):
    """Send each role to its own starting page."""
    if is_district_user(request.user):
        return redirect("dashboard")
    if role_of(request.user) is not None:
        return redirect("commune-detail", code=request.user.profile.commune.code)
    return redirect("admin:index")


class ThrottledLoginView(auth_views.LoginView):
    """Login with a per-address and per-username attempt budget, so guessing passwords is slow."""

    def post(self, request, *args, **kwargs):
        self.attempts = LoginAttempts(request, request.POST.get("username", ""))
        if self.attempts.over_budget():
            form = self.get_form()
            form.add_error(None, _("Too many login attempts. Please wait a few minutes."))
            response = self.form_invalid(form)
            response.status_code = 429
            return response
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        # Only a right password gives the budget back: a visitor already signed in who guesses
        # another account's password must not reset the counters with their own session.
        response = super().form_valid(form)
        self.attempts.succeeded(form.get_user())
        return response


class ThrottledAdminLoginView(ThrottledLoginView):
    """The admin's login page under the same budget (the admin's own view has none)."""

    template_name = "admin/login.html"
    authentication_form = AdminAuthenticationForm

    def get_context_data(self, **kwargs):
        return {**admin.site.each_context(self.request), **super().get_context_data(**kwargs)}


@never_cache
def healthz(request):
    """The state of the database and the broker (docs/rules.md#healthz): 200 while the database
    answers, 503 when it does not, since no page works without it. A broker outage stays 200:
    pages and logins work without the broker, and queued work waits in the database (README,
    Operations). The body always says which is down."""
    state = {"database": "ok", "broker": "ok"}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        logger.exception("health check: database")
        state["database"] = "error"
    try:
        with celery_app.connection_for_write() as conn:
            # One attempt, bounded by the broker's connect timeout: the check stays fast.
            conn.ensure_connection(max_retries=0)
    except Exception:
        logger.exception("health check: broker")
        state["broker"] = "error"
    return JsonResponse(state, status=503 if state["database"] == "error" else 200)


# Errors Django answers itself (no DRF view was reached, or it raised something DRF does not
# handle): under /api/ in DRF's shape, {"detail": …}; elsewhere Django's pages (templates/).


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


def _api_error(exc: exceptions.APIException) -> JsonResponse:
    return JsonResponse({"detail": str(exc.detail)}, status=exc.status_code)


def bad_request(request, exception, template_name=defaults.ERROR_400_TEMPLATE_NAME):
    if not _is_api(request):
        return defaults.bad_request(request, exception, template_name)
    if isinstance(exception, RequestDataTooBig):
        return _api_error(RequestTooLarge())
    return _api_error(exceptions.ParseError())


def permission_denied(request, exception, template_name=defaults.ERROR_403_TEMPLATE_NAME):
    if not _is_api(request):
        return defaults.permission_denied(request, exception, template_name)
    return _api_error(exceptions.PermissionDenied())


def page_not_found(request, exception, template_name=defaults.ERROR_404_TEMPLATE_NAME):
    if not _is_api(request):
        return defaults.page_not_found(request, exception, template_name)
    return _api_error(exceptions.NotFound())


def server_error(request, template_name=defaults.ERROR_500_TEMPLATE_NAME):
    if not _is_api(request):
        return defaults.server_error(request, template_name)
    return _api_error(exceptions.APIException())
