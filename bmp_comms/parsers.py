"""Request parsers for REST_FRAMEWORK["DEFAULT_PARSER_CLASSES"]. A module of its own: DRF
imports it while it defines APIView, so it must not import DRF's views."""

from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, except that a body nested deeper than Python's recursion limit (a few
    kilobytes of `[[[[…`) is bad input, 400, instead of a RecursionError and a 500."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(_("The JSON is nested too deeply.")) from None
