"""Messages shown to people never carry internal codes (DESIGN, fine print): no Vietnamese
message starts with, or carries, a `snake_case:` prefix such as `max_words:`, nor a
placeholder in its place (`%(check)s: …`)."""

import re
from pathlib import Path

import polib

CATALOGUE = Path(__file__).resolve().parents[2] / "locale" / "vi" / "LC_MESSAGES" / "django.po"
CODE_PREFIX = re.compile(r"(?:^|[\s(\"“])[a-z][a-z0-9]*(?:_[a-z0-9]+)+:")
CODE_PLACEHOLDER = re.compile(r"^%\((?:check|code|name_code)\)s:")


def test_no_vietnamese_message_carries_an_internal_code():
    offending = [
        entry.msgstr
        for entry in polib.pofile(str(CATALOGUE))
        if CODE_PREFIX.search(entry.msgstr) or CODE_PLACEHOLDER.search(entry.msgstr)
    ]
    assert offending == []


def test_the_scan_finds_a_code_where_there_is_one():
    assert CODE_PREFIX.search("max_words: bản tin có 500 từ")
    assert CODE_PREFIX.search("Chỉ duyệt (override_duplicate: true).")
    assert CODE_PLACEHOLDER.search("%(check)s: câu trung bình 26 từ")
    assert not CODE_PREFIX.search("Hạn nộp: %(due_date)s")
