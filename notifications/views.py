"""Pages of the notices: the list (every kind, newest first), marking read, and the bell's
partial that the navigation bar polls (htmx) so the count changes without a reload."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from notifications import selectors, services
from notifications.templatetags.notification_tags import UNREAD, bell_context

PAGE_SIZE = 50
# The bell's poll (static/js/app.js) stops on this status, htmx's: a visitor whose session ended.
STOP_POLLING = 286


@login_required
@require_GET
def notification_list(request):
    unread_only = request.GET.get("unread") in ("1", "true")
    notices = selectors.notifications_for(request.user, unread=unread_only)
    page = Paginator(notices, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/notification_list.html",
        {
            "page": page,
            "unread_only": unread_only,
            "query": "unread=1&" if unread_only else "",
            UNREAD: selectors.unread_count(request.user),
        },
    )


@login_required
@require_POST
def notification_read(request, pk: int):
    notice = get_object_or_404(selectors.notifications_for(request.user), pk=pk)
    services.notifications_mark_read(user=request.user, ids=[notice.pk])
    next_url = request.POST.get("next")
    if next_url and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        # Not redirect(): it would take a `next` without a slash for a view's name to reverse.
        return HttpResponseRedirect(next_url)
    return redirect("notification-list")


@login_required
@require_POST
def notification_read_all(request):
    count = services.notifications_mark_read(user=request.user)
    if count:
        messages.success(request, _("All notifications were marked as read."))
    return redirect("notification-list")


@never_cache
@require_GET
def notification_bell(request):
    """The bell alone, with its count: session, user, the count. Rendered without the
    page's context processors, which would read the user's profile for nothing."""
    if not request.user.is_authenticated:
        return HttpResponse(status=STOP_POLLING)
    html = render_to_string(
        "notifications/_bell.html", bell_context(selectors.unread_count(request.user))
    )
    return HttpResponse(html)
