"""Pages of the deadlines area: deadlines with their rates, submissions, the reminder log, the
notifications and inspections. Each view: scope (404 outside it) → role (403) → form → one
service → render or redirect."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from bmp_comms.dates import local_today
from bmp_comms.permissions import is_commune_user, is_district_staff
from bmp_comms.web import form_methods, page_as_of, require_district_staff, require_role, submit
from communes.models import Commune
from communes.names import parse_query
from deadlines import deliveries, selectors, services, statuses
from deadlines.forms import DeadlineCloseForm, DeadlineForm, InspectionForm, SubmissionForm
from deadlines.models import Deadline, Inspection, Reminder, Submission
from deadlines.schedule import ReminderKind, when_text

PAGE_SIZE = 50

# The filter of a deadline's communes (statuses.SUBMISSION_STATES), as the page offers it.
SUBMISSION_STATE_LABELS = [
    ("missing", gettext_lazy("not submitted")),
    ("late", gettext_lazy("late")),
    ("on_time", gettext_lazy("on time")),
]


@dataclass(frozen=True)
class OwnStatus:
    label: str
    level: str  # Bootstrap's colour


# The colour of each status of `statuses.deadline_status`.
STATUS_LEVELS = {
    statuses.ON_TIME: "success",
    statuses.LATE: "warning",
    statuses.PENDING: "warning",
    statuses.OVERDUE: "danger",
}


def own_status(summary: selectors.DeadlineSummary, as_of: datetime.date) -> OwnStatus:
    """A commune user's own line: its figures are those of its commune alone."""
    days_left = summary.deadline.days_left(as_of)
    status = statuses.deadline_status(
        submitted=summary.figures.submitted > 0,
        on_time=summary.figures.on_time > 0,
        days_left=days_left,
    )
    labels = {statuses.ON_TIME: _("submitted on time"), statuses.LATE: _("submitted late")}
    return OwnStatus(labels.get(status) or when_text(days_left), STATUS_LEVELS[status])


@login_required
@require_GET
def deadline_list(request):
    require_role(request.user)
    as_of, date_error = page_as_of(request)
    deadlines = Deadline.objects.for_user(request.user)
    communes = Commune.objects.for_user(request.user).serving(as_of)
    summaries = selectors.deadline_summaries(deadlines, as_of, communes)
    is_commune = is_commune_user(request.user)
    rows = [(summary, own_status(summary, as_of) if is_commune else None) for summary in summaries]
    return render(
        request,
        "deadlines/deadline_list.html",
        {
            "rows": rows,
            "as_of": as_of,
            "date_error": date_error,
            "is_commune": is_commune,
            "can_create": is_district_staff(request.user),
        },
    )


@login_required
@form_methods
def deadline_create(request):
    require_district_staff(request.user)
    form = DeadlineForm(request.POST or None, user=request.user)
    deadline = None
    if request.method == "POST":
        deadline = submit(
            request,
            form,
            lambda data: services.deadline_create(
                district=request.user.profile.district, created_by=request.user, **data
            ),
        )
    if deadline is not None:
        messages.success(request, _("The deadline was created."))
        return redirect("deadline-detail", pk=deadline.pk)
    return render(request, "deadlines/deadline_form.html", {"form": form})


@login_required
@require_GET
def deadline_detail(request, pk: int):
    require_role(request.user)
    deadline = get_object_or_404(
        Deadline.objects.for_user(request.user).select_related("inspection__commune"), pk=pk
    )
    as_of, date_error = page_as_of(request)
    communes = Commune.objects.for_user(request.user).serving(as_of)
    (summary,) = selectors.deadline_summaries(
        Deadline.objects.for_user(request.user).filter(pk=pk), as_of, communes
    )
    table = statuses.submission_table(
        deadline,
        Submission.objects.for_user(request.user),
        communes,
        as_of,
        query=parse_query(request.GET.get("q")),
        state=request.GET.get("state", ""),
        page=request.GET.get("page"),
    )
    kept = request.GET.copy()
    kept.pop("page", None)
    return render(
        request,
        "deadlines/deadline_detail.html",
        {
            "deadline": deadline,
            "summary": summary,
            "table": table,
            "page_query": f"{kept.urlencode()}&" if kept else "",
            "states": SUBMISSION_STATE_LABELS,
            "as_of": as_of,
            "date_error": date_error,
            "can_submit": is_commune_user(request.user),
            "close_form": (
                DeadlineCloseForm(initial={"closed_on": local_today()})
                if is_district_staff(request.user)
                else None
            ),
        },
    )


@login_required
@require_POST
def deadline_close(request, pk: int):
    """District staff close a deadline from a day on (no reminder from then), or reopen it by
    sending no day."""
    require_role(request.user)
    deadline = get_object_or_404(Deadline.objects.for_user(request.user), pk=pk)
    require_district_staff(request.user)
    form = DeadlineCloseForm(request.POST)
    closed = submit(
        request,
        form,
        lambda data: services.deadline_close(deadline=deadline, closed_on=data["closed_on"]),
    )
    if closed is None:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    elif closed.closed_on:
        messages.success(
            request,
            _("The deadline is closed from %(date)s: no more reminders are sent for it.")
            % {"date": closed.closed_on.strftime("%d/%m/%Y")},
        )
    else:
        messages.success(request, _("The deadline was reopened."))
    return redirect("deadline-detail", pk=deadline.pk)


@login_required
@form_methods
def submission_create(request, pk: int):
    if not is_commune_user(request.user):
        raise PermissionDenied
    deadline = get_object_or_404(Deadline.objects.for_user(request.user), pk=pk)
    commune = request.user.profile.commune
    existing = deadline.submissions.filter(commune=commune).first()
    form = SubmissionForm(
        request.POST or None,
        request.FILES or None,
        initial={"note": existing.note} if existing else None,
    )
    result = None
    if request.method == "POST":
        result = submit(
            request,
            form,
            lambda data: services.submission_submit(
                actor=request.user,
                deadline=deadline,
                commune=commune,
                note=data["note"],
                attachment=data.get("attachment"),
            ),
        )
    if result is not None:
        submission, created = result
        if created and submission.on_time:
            messages.success(request, _("The report was submitted on time."))
        elif created:
            messages.warning(request, _("The report was submitted after the due date."))
        else:
            messages.success(
                request, _("The report was updated; the time of the first submission is kept.")
            )
        return redirect("deadline-detail", pk=deadline.pk)
    return render(
        request,
        "deadlines/submission_form.html",
        {"form": form, "deadline": deadline, "commune": commune, "existing": existing},
    )


@login_required
@require_GET
def submission_attachment(request, pk: int):
    """The attachment through the scope check: media files are not served publicly."""
    require_role(request.user)
    submission = get_object_or_404(Submission.objects.for_user(request.user), pk=pk)
    if not submission.attachment:
        raise Http404
    return FileResponse(
        submission.attachment.open("rb"),
        as_attachment=True,
        filename=submission.attachment.name.rsplit("/", 1)[-1],
    )


@login_required
@require_GET
def reminder_list(request):
    require_role(request.user)
    reminders = Reminder.objects.for_user(request.user)
    deadline_id = request.GET.get("deadline")
    if deadline_id and deadline_id.isdigit():
        reminders = reminders.filter(deadline_id=int(deadline_id))
    kind = request.GET.get("kind")
    if kind in ReminderKind.values:
        reminders = reminders.filter(kind=kind)
    page = Paginator(deliveries.reminder_log(reminders), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = [(reminder, deliveries.reminder_channels(reminder)) for reminder in page]
    kept = request.GET.copy()
    kept.pop("page", None)
    return render(
        request,
        "deadlines/reminder_list.html",
        {
            "page": page,
            "rows": rows,
            "page_query": f"{kept.urlencode()}&" if kept else "",
            "kinds": ReminderKind.choices,
            "kind": kind,
            "deadline_id": deadline_id,
        },
    )


@login_required
@require_GET
def notification_list(request):
    notifications = deliveries.notifications_for(request.user)
    page = Paginator(notifications, PAGE_SIZE).get_page(request.GET.get("page"))
    is_commune = is_commune_user(request.user)
    items = [
        (
            delivery,
            delivery.reminder.link(
                for_commune=is_commune and delivery.reminder.kind != ReminderKind.ESCALATION,
            ),
        )
        for delivery in page
    ]
    return render(
        request,
        "deadlines/notification_list.html",
        {"page": page, "items": items, "unread": deliveries.unread_count(request.user)},
    )


@login_required
@require_POST
def notification_read(request, pk: int):
    notification = get_object_or_404(deliveries.notifications_for(request.user), pk=pk)
    services.notifications_mark_read(user=request.user, ids=[notification.pk])
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


@login_required
@require_GET
def inspection_list(request):
    require_role(request.user)
    inspections = (
        Inspection.objects.for_user(request.user)
        .select_related("commune", "follow_up_deadline")
        .order_by("-date", "-pk")
    )
    page = Paginator(inspections, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "deadlines/inspection_list.html",
        {"page": page, "can_create": is_district_staff(request.user)},
    )


@login_required
@form_methods
def inspection_create(request):
    require_district_staff(request.user)
    form = InspectionForm(request.POST or None, user=request.user)
    inspection = None
    if request.method == "POST":
        inspection = submit(
            request, form, lambda data: services.inspection_record(actor=request.user, **data)
        )
    if inspection is not None:
        if inspection.follow_up_due:
            messages.success(
                request, _("The inspection was recorded and its follow-up is now a deadline.")
            )
        else:
            messages.success(request, _("The inspection was recorded."))
        return redirect("inspection-list")
    return render(request, "deadlines/inspection_form.html", {"form": form})
