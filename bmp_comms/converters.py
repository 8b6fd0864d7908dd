"""Path converters of the URLconf (registered in bmp_comms/urls.py)."""

from django.urls.converters import StringConverter


class CommuneCodeConverter(StringConverter):
    """A commune's code in a page's path (`/communes/<commune_code:code>/…`): any text but a
    slash or a control character. A NUL would reach the database in the view's lookup, where
    PostgreSQL refuses to compare it (a 500); no code holds one, so such a path names no commune
    and the resolver answers 404 before any view runs."""

    regex = r"[^/\x00-\x1f\x7f]+"
