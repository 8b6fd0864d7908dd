from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class CookieOnlyLocaleMiddleware(LocaleMiddleware):
    """Pick the language from Django's language cookie alone.

    docs/rules.md#language: pages are Vietnamese whatever the browser's Accept-Language says, until
    the user picks English through `set_language`.
    """

    def process_request(self, request):
        requested = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        try:
            language = translation.get_supported_language_variant(requested or "")
        except LookupError:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
