"""`/c/<code>/feed.xml`: a commune's published bulletins as an Atom feed, the newest PAGE_SIZE,
each entry linking to its verification page. Two queries (the commune, the entries)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.urls import reverse
from django.utils import translation
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape, linebreaks
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_safe

from bulletins.sending import commune_title
from bulletins.verification import public_url
from public import selectors
from public.pages import cacheable
from public.views import PAGE_SIZE


class CommuneFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request, code: str):
        commune = selectors.public_commune(code)
        if commune is None:
            raise Http404
        return commune

    def title(self, commune) -> str:
        return _("Bulletins of the People's Committee of %(commune)s") % {
            "commune": commune_title(commune)
        }

    def subtitle(self, commune) -> str:
        return _("The official news of %(commune)s, as sent to its villages' groups.") % {
            "commune": commune_title(commune)
        }

    def link(self, commune) -> str:
        return public_url(reverse("public-commune", kwargs={"code": commune.code}))

    def feed_url(self, commune) -> str:
        return public_url(reverse("public-feed", kwargs={"code": commune.code}))

    def feed_guid(self, commune) -> str:
        return self.feed_url(commune)

    def author_name(self, commune) -> str:
        # The People's Committee speaks, never a person (docs/rules.md#public-channel).
        return f"UBND {commune_title(commune)}"

    def items(self, commune):
        return selectors.commune_bulletins(commune)[:PAGE_SIZE]

    def item_title(self, bulletin) -> str:
        return bulletin.title

    def item_description(self, bulletin) -> str:
        # Atom's summary is read as HTML: the bulletin is text, so it is escaped first.
        text = linebreaks(escape(bulletin.body))
        if bulletin.source:
            text += f"<p>{escape(pgettext('as in the message', 'Source'))}: "
            text += f"{escape(bulletin.source)}</p>"
        return text

    def item_link(self, bulletin) -> str:
        return bulletin.verify_url

    def item_guid(self, bulletin) -> str:
        return bulletin.verify_url

    item_guid_is_permalink = True

    def item_pubdate(self, bulletin):
        return bulletin.published_at

    def item_updateddate(self, bulletin):
        return bulletin.published_at

    def item_categories(self, bulletin):
        return [bulletin.field.name]


@require_safe
def commune_feed(request, code: str):
    """The feed in Vietnamese whatever the visitor's cookie says, with the pages' caching."""
    with translation.override(settings.LANGUAGE_CODE):
        response = CommuneFeed()(request, code=code)
    return cacheable(request, response)
