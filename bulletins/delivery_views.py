"""A delivery posted by hand, confirmed from the bulletin's page with the post's link or a
picture of it (docs/rules.md#confirming-a-post).

The row's form posts here with htmx (the row is answered alone and replaces itself, so an
officer going down a list of groups keeps their place), or as a plain form without JavaScript
(redirected back to the row; a refusal shows the whole page with the message in the row).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bmp_comms.permissions import can_author_bulletins
from bulletins import publishing, selectors
from bulletins.forms import ConfirmForm
from bulletins.models import Delivery
from bulletins.views import _detail, detail_url


def row_errors(exc: ValidationError) -> dict[str, list[str]]:
    """A refusal as the row shows it: under the link, under the picture, or above both."""
    found = getattr(exc, "message_dict", {"": exc.messages})
    errors = {"posted_url": [], "evidence": [], "other": []}
    for name, messages_ in found.items():
        errors[name if name in ("posted_url", "evidence") else "other"].extend(messages_)
    return errors


def row_context(delivery: Delivery, *, user, errors=None, typed_url: str = "") -> dict:
    """What `bulletins/_delivery_row.html` needs of one delivery."""
    delivery.confirm_errors = errors or {}
    delivery.typed_url = typed_url
    return {
        "delivery": delivery,
        "can_confirm": can_author_bulletins(user, delivery.bulletin.commune),
    }


@login_required
@require_POST
def delivery_confirm(request, pk: int):
    delivery = get_object_or_404(
        Delivery.objects.for_user(request.user).select_related(
            "bulletin__commune", "group__village", "confirmed_by"
        ),
        pk=pk,
    )
    is_htmx = request.headers.get("HX-Request") == "true"
    form = ConfirmForm(request.POST, request.FILES)
    typed_url = request.POST.get("posted_url", "")[:500]
    try:
        # The form's own refusal (a link longer than its column) before the service's rules.
        if not form.is_valid():
            raise ValidationError(form.errors.as_data())
        delivery = publishing.delivery_confirm(
            delivery=delivery,
            actor=request.user,
            posted_url=form.cleaned_data.get("posted_url", ""),
            evidence=form.cleaned_data.get("evidence"),
        )
    except ValidationError as exc:
        errors = row_errors(exc)
        if is_htmx:
            context = row_context(delivery, user=request.user, errors=errors, typed_url=typed_url)
            return render(request, "bulletins/_delivery_row.html", context, status=400)
        # Without JavaScript: the whole page again, the message in the row, the link kept.
        return _detail(
            request,
            selectors.bulletin_detail(request.user, delivery.bulletin_id),
            confirm={delivery.pk: (errors, typed_url)},
            status=400,
        )
    if is_htmx:
        delivery = (
            Delivery.objects.for_user(request.user)
            .select_related("bulletin__commune", "group__village", "confirmed_by")
            .get(pk=delivery.pk)
        )
        return render(
            request, "bulletins/_delivery_row.html", row_context(delivery, user=request.user)
        )
    messages.success(
        request, _("The post in “%(group)s” was confirmed.") % {"group": delivery.group.name}
    )
    return redirect(f"{detail_url(delivery.bulletin)}#delivery-{delivery.pk}")
