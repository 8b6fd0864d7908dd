"""What the public pages read: published bulletins only, and nothing that names a person.

The public is no user, so these queries are unscoped; what keeps them in bounds is the status
(published, with a code) and the columns asked for: never the author, the approver or the
history."""

from __future__ import annotations

from django.db.models import QuerySet

from bulletins.models import Bulletin, BulletinStatus
from communes.models import Commune


def _published() -> QuerySet[Bulletin]:
    # Unscoped: the public pages show every commune's published bulletins and nothing else.
    return Bulletin.objects.unscoped().filter(
        status=BulletinStatus.PUBLISHED, verify_code__isnull=False
    )


def published_bulletin(code: str) -> Bulletin | None:
    """The published bulletin with this verification code, with its commune and field: one
    query. Any other status (draft, submitted, approved, scheduled, rejected) is None."""
    return _published().filter(verify_code=code).select_related("commune", "field").first()


def public_commune(code: str) -> Commune | None:
    # Unscoped: a commune's official code and name are public.
    return Commune.objects.unscoped().filter(code=code).select_related("merged_into").first()


def commune_bulletins(commune: Commune) -> QuerySet[Bulletin]:
    """The commune's published bulletins, newest first, with their fields (for the page and the
    feed: a count and a slice, or a slice alone)."""
    return (
        _published()
        .filter(commune=commune)
        .select_related("field")
        .order_by("-published_at", "-pk")
    )
