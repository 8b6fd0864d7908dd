"""Pages of the compliance report: the archive at /reports/ with its compile form and live
progress, the downloads, "compile again", and the district's letterhead. Each view: scope (404
outside it) → role (403) → form → one service → render or redirect."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from bmp_comms.permissions import is_district_staff
from bmp_comms.web import form_methods, form_status, require_district_staff, require_role, submit
from reports import services
from reports.forms import CompileForm, LetterheadForm
from reports.jobs import letterhead_of
from reports.models import ComplianceReport
from reports.services import LETTERHEAD_FIELDS

PAGE_SIZE = 50
# How often the page asks how a report is getting on while it compiles (htmx polling).
POLL_SECONDS = 1


def _archive(user):
    return ComplianceReport.objects.for_user(user).select_related("commune", "requested_by")


@login_required
@form_methods
def report_list(request: HttpRequest) -> HttpResponse:
    """The archive, newest first, and the compile form (posted here: form#compile-report)."""
    require_role(request.user)
    # Bound on every POST, an empty one included: the form works with its defaults.
    form = CompileForm(request.POST if request.method == "POST" else None, user=request.user)
    report = None
    if request.method == "POST":
        report = submit(
            request,
            form,
            lambda data: services.report_request(
                user=request.user,
                kind=data["kind"],
                fmt=data["format"],
                as_of=data["as_of"],
                commune=data.get("commune"),
            ),
        )
    if report is not None:
        messages.success(request, _("The report was asked for; it is compiled in the background."))
        return redirect(f"{reverse('report-list')}?report={report.pk}")
    page = Paginator(_archive(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    requested = request.GET.get("report")
    current = None
    if requested and requested.isdigit():
        current = _archive(request.user).filter(pk=int(requested)).first()
    return render(
        request,
        "reports/report_list.html",
        {
            "form": form,
            "page": page,
            "current": current,
            "poll_seconds": POLL_SECONDS,
            "can_edit_letterhead": is_district_staff(request.user),
        },
        status=form_status(form),
    )


@login_required
@require_GET
def report_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The small partial the page polls: status, progress bar, download or reason."""
    require_role(request.user)
    report = get_object_or_404(_archive(request.user), pk=pk)
    template = (
        "reports/_progress_panel.html" if request.GET.get("panel") else "reports/_status_cell.html"
    )
    return render(request, template, {"report": report, "poll_seconds": POLL_SECONDS})


@login_required
@require_GET
def report_download(request: HttpRequest, pk: int) -> FileResponse:
    require_role(request.user)
    report = get_object_or_404(_archive(request.user), pk=pk)
    if not report.file:
        raise Http404
    return FileResponse(report.file.open("rb"), as_attachment=True, filename=report.download_name)


@login_required
@require_POST
def report_compile_again(request: HttpRequest, pk: int) -> HttpResponse:
    require_role(request.user)
    report = get_object_or_404(_archive(request.user), pk=pk)
    try:
        services.report_compile_again(user=request.user, report=report)
    except ValidationError as exc:
        messages.warning(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The report is compiled again."))
    return redirect(f"{reverse('report-list')}?report={report.pk}")


@login_required
@form_methods
def letterhead_edit(request: HttpRequest) -> HttpResponse:
    """District staff only: the district leader reads and compiles, and edits nothing else."""
    require_district_staff(request.user)
    district = request.user.profile.district
    current = letterhead_of(district)
    form = LetterheadForm(
        request.POST if request.method == "POST" else None,
        district=district,
        initial={name: getattr(current, name) for name in LETTERHEAD_FIELDS},
    )
    saved = None
    if request.method == "POST":
        saved = submit(
            request,
            form,
            lambda data: services.letterhead_save(actor=request.user, district=district, **data),
        )
    if saved is not None:
        messages.success(request, _("The letterhead was saved; the next reports carry it."))
        return redirect("report-list")
    return render(
        request,
        "portal/form_page.html",
        {
            "form": form,
            "title": _("Letterhead of the reports"),
            "subtitle": _(
                "As the reports print it (Nghị định 30/2020/NĐ-CP): the parent body over the "
                "issuing body on the left, the place and date on the right, the recipients and "
                "the signer at the end."
            ),
            "submit_label": _("Save the letterhead"),
            "cancel_url": reverse("report-list"),
        },
        status=form_status(form),
    )
