"""Pages that import a commune's villages and member counts from a spreadsheet, and the
template files to fill in.

scope (`for_user`, 404 outside it) → permission (403) → the import service → redirect to the
commune page with the counts, or the page again with every row's problem listed.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from bmp_comms.permissions import can_edit_commune_data
from communes.models import Commune
from groups import imports


class ImportForm(forms.Form):
    # The service reports a missing or empty file in the same words as the API does.
    file = forms.FileField(
        label=gettext_lazy("File (CSV or Excel .xlsx)"),
        required=False,
        allow_empty_file=True,
        widget=forms.FileInput(attrs={"accept": ".csv,.xlsx", "class": "form-control"}),
    )


def _villages_message(result: imports.VillagesImported) -> str:
    return _(
        "Villages imported: %(created)s new, %(updated)s updated, %(unchanged)s unchanged."
    ) % {
        "created": number_format(result.created),
        "updated": number_format(result.updated),
        "unchanged": number_format(result.unchanged),
    }


def _member_counts_message(result: imports.MemberCountsImported) -> str:
    return _("Member counts imported: %(created)s.") % {"created": number_format(result.created)}


PAGES = {
    "villages": (
        imports.villages_import,
        _villages_message,
        gettext_lazy("Import villages"),
        gettext_lazy(
            "One row per village. A village the commune already has (same name) is updated; "
            "the others are added."
        ),
    ),
    "member-counts": (
        imports.member_counts_import,
        _member_counts_message,
        gettext_lazy("Import member counts"),
        gettext_lazy(
            "One row per count of a group's members on a day. A count already recorded for the "
            "same group and day is refused; correct it on the group's page instead."
        ),
    ),
}


def _import_page(request, code: str, kind: str):
    commune = get_object_or_404(Commune.objects.for_user(request.user), code=code)
    if not can_edit_commune_data(request.user, commune):
        raise PermissionDenied
    run, success_message, title, intro = PAGES[kind]
    form = ImportForm(request.POST, request.FILES) if request.method == "POST" else ImportForm()
    errors: list[imports.RowError] = []
    if request.method == "POST" and form.is_valid():
        try:
            result = run(commune=commune, upload=form.cleaned_data["file"], actor=request.user)
        except imports.ImportRejected as exc:
            errors = exc.errors
        else:
            messages.success(request, success_message(result))
            return redirect("commune-detail", code=commune.code)
    return render(
        request,
        "imports/import.html",
        {
            "commune": commune,
            "kind": kind,
            "title": title,
            "intro": intro,
            "form": form,
            "errors": errors,
            "column_help": imports.KINDS[kind].column_help,
            "max_mb": imports.MAX_BYTES // (1024 * 1024),
            "max_rows": imports.MAX_ROWS,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def import_villages(request, code: str):
    return _import_page(request, code, "villages")


@login_required
@require_http_methods(["GET", "POST"])
def import_member_counts(request, code: str):
    return _import_page(request, code, "member-counts")


@login_required
@require_GET
def import_template(request, kind: str, fmt: str):
    content, content_type, filename = imports.template_file(kind, fmt)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
