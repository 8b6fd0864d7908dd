"""The public pages (docs/rules.md#public-channel), no login: a published bulletin as it was
sent, by its verification code, and a commune's published bulletins.

A verification page costs one query the first time and none after: it is kept rendered in the
cache for PAGE_SECONDS, with its ETag, so a QR code scanned by a whole village is served from
memory, and a phone that has it gets a 304."""

from __future__ import annotations

from csp.decorators import csp_update
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from bulletins.models import Bulletin
from bulletins.sending import commune_title, sent_text
from bulletins.verification import normalized_code, public_url, text_sha256
from public import selectors
from public.pages import STYLE_CSP, cacheable, etag_of, html_response, render_page
from public.throttle import WINDOW_SECONDS, CodeGuesses, public_cache

PAGE_SIZE = 20
# How long a rendered verification page is kept; a renamed commune shows on it after that.
PAGE_SECONDS = 10 * 60
# Part of the cache key: a change of the page's template is seen at once after a deploy.
PAGE_VERSION = 1


def _page_key(code: str) -> str:
    return f"public:verify-page:{PAGE_VERSION}:{code}"


def _commune_links(commune) -> dict:
    return {
        "commune_url": public_url(reverse("public-commune", kwargs={"code": commune.code})),
        "feed_url": public_url(reverse("public-feed", kwargs={"code": commune.code})),
    }


def _verify_page(bulletin: Bulletin) -> str:
    commune = bulletin.commune
    text = sent_text(bulletin)
    published = timezone.localtime(bulletin.published_at)
    description = _("%(sender)s, %(field)s, %(when)s: %(body)s") % {
        "sender": f"UBND {commune_title(commune)}",
        "field": bulletin.field.name,
        "when": published.strftime("%d/%m/%Y %H:%M"),
        "body": Truncator(" ".join(bulletin.body.split())).chars(160),
    }
    return render_page(
        "public/verify.html",
        {
            "bulletin": bulletin,
            "commune": commune_title(commune),
            "published": published,
            "verify_url": bulletin.verify_url,
            "description": description,
            "sent_text": text,
            "sha256": text_sha256(text),
            **_commune_links(commune),
        },
    )


def _not_found(message: str):
    return html_response(render_page("public/not_found.html", {"message": message}), status=404)


@csp_update(STYLE_CSP)
@require_safe
def verify(request, code: str):
    """`/v/<code>/`: the published bulletin, or a 404 that says the message is not the
    commune's; an address that keeps guessing gets 429 for a while."""
    guesses = CodeGuesses(request)
    if guesses.blocked():
        response = html_response(render_page("public/too_many.html", {}), status=429)
        response["Retry-After"] = str(WINDOW_SECONDS)
        return response
    normalized = normalized_code(code)
    if normalized is not None and normalized != code:
        # Typed from paper in capitals: the page's one address.
        return redirect("public-verify", code=normalized, permanent=True)
    cached = public_cache.get(_page_key(normalized)) if normalized else None
    if cached is None:
        bulletin = selectors.published_bulletin(normalized) if normalized else None
        if bulletin is None:
            guesses.missed()
            return _not_found(
                _(
                    "No bulletin has this verification code. A message that links here was not "
                    "sent by the commune, or its address was changed."
                )
            )
        body = _verify_page(bulletin).encode()
        cached = (etag_of(body), body)
        public_cache.set(_page_key(normalized), cached, PAGE_SECONDS)
    etag, body = cached
    return cacheable(request, html_response(body), etag=etag)


@csp_update(STYLE_CSP)
@require_safe
def commune_page(request, code: str):
    """`/c/<code>/`: the commune's published bulletins, newest first, PAGE_SIZE a page; three
    queries whatever their number (the commune, the count, the page)."""
    commune = selectors.public_commune(code)
    if commune is None:
        return _not_found(_("No commune has this code."))
    page = Paginator(selectors.commune_bulletins(commune), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    body = render_page(
        "public/commune.html",
        {
            "commune": commune_title(commune),
            "code": commune.code,
            "page": page,
            # An absorbed commune's page stays, as its history, and says where it went.
            "merged_into": commune_title(commune.merged_into) if commune.merged_into else None,
            "merged_into_url": (
                reverse("public-commune", args=[commune.merged_into.code])
                if commune.merged_into
                else None
            ),
            "merged_on": commune.merged_on,
            **_commune_links(commune),
        },
    )
    return cacheable(request, html_response(body))
