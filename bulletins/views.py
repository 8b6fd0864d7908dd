"""Pages of bulletins: the list, the editor with its live checks, a bulletin with its audit,
actions and deliveries, and the leaders' review queue (a commune's channels and who answers for
each field are bulletins.commune_views).

Each view: scope (`for_user`, 404 outside it) → permission (403) → form → one service →
redirect; a refused action shows the bulletin again with the reason, answered 400.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from bmp_comms.permissions import (
    can_author_bulletins,
    can_lead_bulletins,
    is_commune_leader,
)
from bmp_comms.web import bound, form_methods, require_role, submit
from bulletins import publishing, selectors, services
from bulletins.checks import bulletin_checks as checks_of
from bulletins.checks import check_label, check_text
from bulletins.forms import (
    ApproveForm,
    BulletinForm,
    PublishForm,
    RejectForm,
)
from bulletins.models import (
    Bulletin,
    BulletinStatus,
    DeliveryStatus,
)
from bulletins.sending import sent_text
from bulletins.verification import qr_svg_file, qr_svg_inline

PAGE_SIZE = 25


def detail_url(bulletin: Bulletin) -> str:
    return reverse("bulletin-detail", kwargs={"pk": bulletin.pk})


@login_required
@require_GET
def bulletin_list(request):
    """Commune users: their commune's bulletins; district users: the district's, read-only."""
    require_role(request.user)
    status = request.GET.get("status") or None
    if status not in BulletinStatus.values:
        status = None
    page = Paginator(selectors.bulletins_for(request.user, status=status), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    profile = request.user.profile
    return render(
        request,
        "bulletins/bulletin_list.html",
        {
            "page": page,
            "bulletins": page.object_list,
            "status": status,
            "statuses": BulletinStatus.choices,
            "can_write": profile.is_commune_role,
            "is_leader": is_commune_leader(request.user),
        },
    )


def _editor(request, *, form, title, bulletin=None):
    return render(
        request,
        "bulletins/bulletin_form.html",
        {
            "form": form,
            "title": title,
            "bulletin": bulletin,
            "checks": _live_checks(request, bulletin),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


def _live_checks(request, bulletin: Bulletin | None) -> dict:
    """The checks panel: figures of the text as typed (the same function as the API's), and
    earlier bulletins it may repeat."""
    data = request.POST if request.method == "POST" else {}
    if bulletin is not None and not data:
        field, title, body, source = (
            bulletin.field_id,
            bulletin.title,
            bulletin.body,
            bulletin.source,
        )
    else:
        field, title, body, source = (
            data.get("field", ""),
            data.get("title", ""),
            data.get("body", ""),
            data.get("source", ""),
        )
    repeats = []
    commune = request.user.profile.commune
    if commune is not None and (title.strip() or body.strip()):
        draft = Bulletin(
            pk=bulletin.pk if bulletin else None,
            commune=commune,
            author_id=bulletin.author_id if bulletin else request.user.pk,
            title=title,
            body=body,
        )
        ids = selectors.duplicates_of(draft)
        repeats = list(
            Bulletin.objects.for_user(request.user).filter(pk__in=ids).select_related("author")
        )
    return {
        "result": check_text(field_code=field, body=body, source=source),
        "repeats": repeats,
    }


@login_required
@form_methods
def bulletin_create(request):
    commune = request.user.profile.commune if hasattr(request.user, "profile") else None
    if commune is None or not can_author_bulletins(request.user, commune):
        # District staff do not author bulletins (docs/rules.md#drafting).
        raise PermissionDenied
    form = BulletinForm(commune=commune, district=request.user.profile.district, **bound(request))
    bulletin = submit(
        request,
        form,
        lambda data: services.bulletin_create(commune=commune, author=request.user, **data),
    )
    if bulletin is not None:
        messages.success(request, _("The draft “%(title)s” was saved.") % {"title": bulletin.title})
        return redirect(detail_url(bulletin))
    return _editor(request, form=form, title=_("New bulletin"))


@login_required
@form_methods
def bulletin_edit(request, pk: int):
    bulletin = get_object_or_404(
        Bulletin.objects.for_user(request.user).select_related("commune"), pk=pk
    )
    if not can_author_bulletins(request.user, bulletin.commune):
        raise PermissionDenied
    if not bulletin.is_editable:
        messages.error(request, _("Only a draft or a rejected bulletin can be edited."))
        return redirect(detail_url(bulletin))
    initial = {
        "title": bulletin.title,
        "field": bulletin.field_id,
        "body": bulletin.body,
        "source": bulletin.source,
        "villages": list(bulletin.villages.all()),
        "publish_at": bulletin.publish_at,
    }
    title = _("Edit “%(title)s”") % {"title": bulletin.title}
    form = BulletinForm(
        commune=bulletin.commune,
        district=request.user.profile.district,
        initial=initial,
        **bound(request),
    )
    saved = submit(
        request,
        form,
        lambda data: services.bulletin_update(bulletin=bulletin, actor=request.user, **data),
    )
    if saved is not None:
        messages.success(request, _("The bulletin was saved."))
        return redirect(detail_url(saved))
    return _editor(request, form=form, title=title, bulletin=bulletin)


@login_required
@require_POST
def bulletin_checks(request):
    """The editor's live panel (htmx): the checks of the text as typed."""
    require_role(request.user)
    return render(request, "bulletins/_checks.html", {"checks": _live_checks(request, None)})


def _own_approval(user, bulletin: Bulletin) -> dict:
    """Two people per bulletin (docs/rules.md#approval), as the page shows it to a leader about
    to approve: their own bulletin waits for another leader, or, where the commune has none,
    may be approved as urgent."""
    own = (
        bulletin.status == BulletinStatus.SUBMITTED
        and bulletin.author_id == user.pk
        and can_lead_bulletins(user, bulletin.commune)
    )
    others = own and selectors.other_leaders(bulletin).exists()
    return {"waits_for_another": own and others, "offer_urgent": own and not others}


def _detail(request, bulletin: Bulletin, *, forms=None, confirm=None, status=200):
    """The bulletin's page; `confirm` {delivery id: (errors, typed link)} shows a refused
    confirmation in its row (bulletins.delivery_views)."""
    user = request.user
    commune = bulletin.commune
    deliveries = list(bulletin.deliveries.all())
    for delivery in deliveries:
        delivery.confirm_errors, delivery.typed_url = (confirm or {}).get(delivery.pk, ({}, ""))
    forms = forms or {}
    own_approval = _own_approval(user, bulletin)
    checks = checks_of(bulletin)
    context = {
        "bulletin": bulletin,
        "checks": checks,
        "failed_checks": [check_label(name) for name in checks.failed],
        "repeats": list(
            Bulletin.objects.for_user(user)
            .filter(pk__in=bulletin.duplicate_of)
            .select_related("author")
        ),
        "transitions": bulletin.transitions.all(),
        "deliveries": deliveries,
        "can_edit": bulletin.is_editable and can_author_bulletins(user, commune),
        "can_submit": bulletin.is_editable and services.may_submit(user, bulletin),
        "can_lead": can_lead_bulletins(user, commune),
        "can_confirm": can_author_bulletins(user, commune),
        "approve_form": forms.get("approve")
        or ApproveForm(offer_urgent=own_approval["offer_urgent"]),
        "own_approval": own_approval,
        "reject_form": forms.get("reject") or RejectForm(),
        "publish_form": forms.get("publish") or PublishForm(),
        "action_errors": forms.get("errors", []),
        "responsible": selectors.responsible_officer(bulletin),
        "awaiting": sum(d.status == DeliveryStatus.AWAITING_CONFIRMATION for d in deliveries),
        "delivery_text": sent_text(bulletin) if bulletin.verify_code else "",
        "verify_url": bulletin.verify_url,
        # For the village notice board: the page proving the bulletin official, to scan. Safe:
        # segno writes the SVG from our own address, and escapes the title it is given.
        "verify_qr": (
            mark_safe(qr_svg_inline(bulletin.verify_url, title=_("QR code of the public page")))
            if bulletin.verify_url
            else ""
        ),
    }
    return render(request, "bulletins/bulletin_detail.html", context, status=status)


@login_required
@require_GET
def bulletin_detail(request, pk: int):
    require_role(request.user)
    return _detail(request, selectors.bulletin_detail(request.user, pk))


@login_required
@require_GET
def bulletin_qr(request, pk: int):
    """The QR code of a published bulletin's public page, as an SVG file to print for the
    village notice board; 404 until the bulletin is published, as outside the user's scope."""
    require_role(request.user)
    bulletin = get_object_or_404(
        Bulletin.objects.for_user(request.user).filter(
            status=BulletinStatus.PUBLISHED, verify_code__isnull=False
        ),
        pk=pk,
    )
    response = HttpResponse(qr_svg_file(bulletin.verify_url), content_type="image/svg+xml")
    response["Content-Disposition"] = f'attachment; filename="ban-tin-{bulletin.pk}-qr.svg"'
    return response


ACTIONS = {
    "submit": None,
    "approve": ApproveForm,
    "reject": RejectForm,
    "publish": PublishForm,
}


def _run_action(request, bulletin: Bulletin, action: str, data: dict) -> Bulletin:
    if action == "submit":
        return services.bulletin_submit(bulletin=bulletin, actor=request.user)
    if action == "approve":
        return services.bulletin_approve(bulletin=bulletin, actor=request.user, **data)
    if action == "reject":
        return services.bulletin_reject(bulletin=bulletin, actor=request.user, **data)
    return publishing.bulletin_publish(bulletin=bulletin, actor=request.user, **data)


DONE = {
    "submit": lambda: _("The bulletin was submitted for approval."),
    "approve": lambda: _("The bulletin was approved."),
    "reject": lambda: _("The bulletin was sent back to its author."),
    "publish": lambda: _("The bulletin was published."),
}


@login_required
@require_POST
def bulletin_action(request, pk: int, action: str):
    bulletin = get_object_or_404(
        Bulletin.objects.for_user(request.user).select_related("commune", "field"), pk=pk
    )
    form_class = ACTIONS[action]
    options = (
        {"offer_urgent": _own_approval(request.user, bulletin)["offer_urgent"]}
        if action == "approve"
        else {}
    )
    form = form_class(request.POST, **options) if form_class else None
    if form is not None and not form.is_valid():
        return _detail(
            request,
            selectors.bulletin_detail(request.user, pk),
            forms={action: form},
            status=400,
        )
    try:
        bulletin = _run_action(request, bulletin, action, form.cleaned_data if form else {})
    except ValidationError as exc:
        # A message about a field the form shows stands beside it; any other (the status,
        # a check) at the top of the page, where the form may not even be shown.
        shown = set(form.fields) if form is not None else set()
        if form is not None:
            form.apply_service_errors(exc)
        others = [
            message
            for name, messages_ in getattr(exc, "message_dict", {"": exc.messages}).items()
            if name not in shown
            for message in messages_
        ]
        return _detail(
            request,
            selectors.bulletin_detail(request.user, pk),
            forms={action: form, "errors": others},
            status=400,
        )
    if bulletin.status == BulletinStatus.SCHEDULED:
        messages.success(request, _("The bulletin is scheduled."))
    else:
        messages.success(request, DONE[action]())
    return redirect(detail_url(bulletin))


@login_required
@require_GET
def review_queue(request):
    """What waits for a leader of the commune: to approve, then to publish."""
    if not is_commune_leader(request.user):
        raise PermissionDenied
    return render(
        request,
        "bulletins/review_queue.html",
        {"bulletins": selectors.review_queue(request.user)},
    )
