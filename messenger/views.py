"""/accounts/messenger/: where a person links their Telegram or Zalo chat with the top unit's
notification bot, sees the deep link to press, and unlinks (docs/rules.md#messenger).

One view: the form (which button, which platform) → one service → redirect; a refusal is
shown in the platform's card with a 400 (a bot that does not answer, 503)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from bmp_comms.web import form_methods
from messenger.bots import BotUnavailable
from messenger.forms import MessengerActionForm
from messenger.models import MessengerPlatform
from messenger.selectors import messenger_status
from messenger.services import messenger_link_start, messenger_unlink


@login_required
@form_methods
def messenger_page(request):
    errors: dict[str, list[str]] = {}
    status = 200
    form = MessengerActionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not form.is_valid():
            return _render(request, form, errors, 400)
        platform = form.cleaned_data["platform"]
        label = MessengerPlatform(platform).label
        try:
            if form.cleaned_data["action"] == "link":
                messenger_link_start(user=request.user, platform=platform)
                messages.success(
                    request,
                    _(
                        "Your link to the %(platform)s bot is ready: open it on your phone "
                        "within 30 minutes."
                    )
                    % {"platform": label},
                )
            else:
                messenger_unlink(user=request.user, platform=platform)
                messages.success(
                    request, _("Notices no longer go to %(platform)s.") % {"platform": label}
                )
        except ValidationError as exc:
            errors[platform] = exc.messages
            status = 400
        except BotUnavailable as exc:
            errors[platform] = [str(exc)]
            status = 503
        else:
            return redirect("messenger")
    return _render(request, form, errors, status)


def _render(request, form, errors, status):
    rows = [(row, errors.get(row.platform, [])) for row in messenger_status(user=request.user)]
    return render(request, "messenger/messenger.html", {"rows": rows, "form": form}, status=status)
