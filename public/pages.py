"""What every public page shares: one light stylesheet inlined, Vietnamese, and the caching
headers that let a phone, a proxy or a CDN keep the page (ETag, public max-age, 304).

The style is inline (one request on a slow connection) and allowed by its hash in the content
security policy, which forbids inline style otherwise; the pages carry no script at all."""

from __future__ import annotations

import base64
import hashlib

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_cache_control, quote_etag
from django.utils.safestring import mark_safe

# A phone or a proxy may keep a page five minutes before asking again (and then gets a 304 when
# nothing changed); published bulletins do not change.
MAX_AGE_SECONDS = 300

STYLE = (settings.BASE_DIR / "templates" / "public" / "style.css").read_text("utf-8").strip()
STYLE_CSP = {
    "style-src": [f"'sha256-{base64.b64encode(hashlib.sha256(STYLE.encode()).digest()).decode()}'"]
}


def render_page(template: str, context: dict) -> str:
    """The page in Vietnamese, whatever language the visitor's cookie picked for the portal: the
    commune's channel speaks its residents' language, and one rendering serves every visitor
    (the cache and the ETag are per page, not per visitor). No request is passed, so no context
    processor reads the visitor's session."""
    with translation.override(settings.LANGUAGE_CODE):
        return render_to_string(template, {**context, "style": mark_safe(STYLE)})


def html_response(body: str | bytes, *, status: int = 200) -> HttpResponse:
    response = HttpResponse(body, content_type="text/html; charset=utf-8", status=status)
    response["Content-Language"] = settings.LANGUAGE_CODE
    return response


def etag_of(content: bytes) -> str:
    return quote_etag(hashlib.sha256(content).hexdigest()[:32])


def cacheable(request: HttpRequest, response: HttpResponse, *, etag: str | None = None):
    """The response with its ETag and `Cache-Control: public, max-age`, or a 304 with the same
    headers when the client already holds this version (If-None-Match)."""
    etag = etag or etag_of(response.content)
    response["ETag"] = etag
    patch_cache_control(response, public=True, max_age=MAX_AGE_SECONDS)
    return get_conditional_response(request, etag=etag, response=response)
