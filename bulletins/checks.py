"""The bulletin checks of docs/rules.md#bulletin-checks (D7: content short, easy to read,
accurate): one function behind the editor's live panel, the submit service and the API's `checks`,
so they agree.

Counting follows how Vietnamese text is written: a word is what stands between spaces (a
syllable, as word processors count Vietnamese), so "1.200", "6/8/2021" and "Covid-19" are one
word each, and a dash or bullet standing alone is none. A sentence ends at ".", "!", "?" or
"…" closing a word, except after an abbreviation ("TP. Đồng Xoài", "UBND."), and at the end of
a line: headings and list items are lines of their own.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext as _

MAX_WORDS = 300
MAX_AVG_SENTENCE_WORDS = 25
HEALTH_FIELD = "y-te"

# The checks' names, as the API and the messages give them (docs/rules.md#bulletin-checks:
# bulletins/).
MAX_WORDS_CHECK = "max_words"
SENTENCE_LENGTH_CHECK = "sentence_length"
SOURCE_REQUIRED_CHECK = "source_required"

# Abbreviations written with a full stop in official Vietnamese text; compared without the
# stop, case-insensitively. "UBND", "HĐND" are written without one, but often end up before
# one in "... của UBND." mid-paragraph lists; after them a stop ends a sentence only when the
# line ends there.
ABBREVIATIONS = frozenset(
    {
        "tp", "tt", "tx", "q", "p", "h", "x", "ths", "ts", "bs", "pgs", "gs", "ks", "ls",
        "đc", "đ/c", "v.v", "vv", "st", "sđt", "đt", "stt", "no", "ubnd", "hđnd", "pct",
        "ct", "bch", "mttq", "nđ-cp", "qđ", "cv", "tw", "kp",
    }
)  # fmt: skip
SENTENCE_END = re.compile(r"[.!?…]+[\"'”’)\]»]*$")
HAS_LETTER_OR_DIGIT = re.compile(r"\w")


@dataclass(frozen=True)
class Checks:
    words: int
    sentences: int
    avg_sentence_words: Decimal
    longest_sentence_words: int
    failed: list[str] = field(default_factory=list)
    duplicate_of: list[int] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "words": self.words,
            "sentences": self.sentences,
            "avg_sentence_words": float(self.avg_sentence_words),
            "longest_sentence_words": self.longest_sentence_words,
            "failed": list(self.failed),
            "duplicate_of": list(self.duplicate_of),
        }


def normalize(text: str) -> str:
    # Vietnamese typed on different keyboards arrives composed or decomposed (a + combining
    # marks): the same word must count, and compare, the same.
    return unicodedata.normalize("NFC", text or "")


def words_of(text: str) -> list[str]:
    return [token for token in normalize(text).split() if HAS_LETTER_OR_DIGIT.search(token)]


def _ends_sentence(token: str, is_last_of_line: bool) -> bool:
    if not SENTENCE_END.search(token):
        return False
    if is_last_of_line:
        return True
    stem = token.rstrip("\"'”’)]»").rstrip(".").lower()
    if token.rstrip("\"'”’)]»").endswith(("!", "?", "…", "..")):
        return True
    return stem not in ABBREVIATIONS


def sentences_of(text: str) -> list[list[str]]:
    """The sentences of a text, each a list of its words."""
    sentences: list[list[str]] = []
    for line in normalize(text).splitlines():
        tokens = line.split()
        current: list[str] = []
        for index, token in enumerate(tokens):
            if HAS_LETTER_OR_DIGIT.search(token):
                current.append(token)
            if _ends_sentence(token, index == len(tokens) - 1) and current:
                sentences.append(current)
                current = []
        if current:
            sentences.append(current)
    return sentences


def _one_decimal(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def check_text(
    *, field_code: str | None, body: str, source: str, duplicate_of: list[int] | None = None
) -> Checks:
    """Word and sentence counts of the body and the checks it fails (docs/rules.md#bulletin-checks:
    at most 300 words; sentences averaging at most 25 words; health bulletins name a source)."""
    sentences = sentences_of(body)
    words = sum(len(sentence) for sentence in sentences)
    average = _one_decimal(Decimal(words) / len(sentences)) if sentences else Decimal("0.0")
    failed = []
    if words > MAX_WORDS:
        failed.append(MAX_WORDS_CHECK)
    if average > MAX_AVG_SENTENCE_WORDS:
        failed.append(SENTENCE_LENGTH_CHECK)
    if field_code == HEALTH_FIELD and not (source or "").strip():
        failed.append(SOURCE_REQUIRED_CHECK)
    return Checks(
        words=words,
        sentences=len(sentences),
        avg_sentence_words=average,
        longest_sentence_words=max((len(s) for s in sentences), default=0),
        failed=failed,
        duplicate_of=list(duplicate_of or []),
    )


def bulletin_checks(bulletin) -> Checks:
    """The checks of a saved bulletin; duplicates are those found at its last submission or
    approval (docs/rules.md#duplicates)."""
    return check_text(
        field_code=bulletin.field_id,
        body=bulletin.body,
        source=bulletin.source,
        duplicate_of=bulletin.duplicate_of,
    )


# The form field each check concerns: its message stands beside it (docs/rules.md#bulletin-checks).
CHECK_FIELDS = {
    MAX_WORDS_CHECK: "body",
    SENTENCE_LENGTH_CHECK: "body",
    SOURCE_REQUIRED_CHECK: "source",
}


def check_label(name: str) -> str:
    """A failed check as people read it (the API keeps the name in `checks.failed`)."""
    labels = {
        MAX_WORDS_CHECK: _("Too long"),
        SENTENCE_LENGTH_CHECK: _("Sentences too long"),
        SOURCE_REQUIRED_CHECK: _("Source missing"),
    }
    return str(labels.get(name, name))


def check_messages(checks: Checks) -> dict[str, list[str]]:
    """The failed checks as {field: [messages]}: sentences for people, without the checks'
    names, which the API gives in `checks.failed` (docs/rules.md#bulletin-checks)."""
    texts = {
        MAX_WORDS_CHECK: lambda: (
            _("The bulletin has %(words)s words; at most %(limit)s are allowed. Shorten it.")
            % {"words": number_format(checks.words), "limit": MAX_WORDS}
        ),
        SENTENCE_LENGTH_CHECK: lambda: (
            _(
                "Sentences average %(average)s words; at most %(limit)s are allowed. Split the "
                "long sentences."
            )
            % {
                "average": number_format(checks.avg_sentence_words),
                "limit": MAX_AVG_SENTENCE_WORDS,
            }
        ),
        SOURCE_REQUIRED_CHECK: lambda: _("A health bulletin must name its source."),
    }
    errors: dict[str, list[str]] = {}
    for name in checks.failed:
        errors.setdefault(CHECK_FIELDS[name], []).append(texts[name]())
    return errors
