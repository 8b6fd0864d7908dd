"""How much one bulletin repeats another (docs/rules.md#similarity: one piece of news is not posted
by several people): Jaccard similarity of word shingles over title and body.

Shingles are runs of three words taken inside each sentence, never across two, so the same
sentences in another order give the same set; a changed date or number changes only the few
shingles it stands in. Two notices on one topic share words but few runs of three.

The comparison is exact, over the commune's bulletins of the last 14 days: tens of rows, read
as two columns. MinHash would only approximate the same number for a history of thousands.
"""

from __future__ import annotations

import re

from bulletins.checks import normalize, sentences_of

SHINGLE_WORDS = 3
DUPLICATE_THRESHOLD = 0.6
# Punctuation around a word is not part of it: "2021." and "2021" are the same word.
EDGE_PUNCTUATION = re.compile(r"^[^\w]+|[^\w]+$")


def shingles(title: str, body: str) -> set[tuple[str, ...]]:
    found: set[tuple[str, ...]] = set()
    for sentence in sentences_of(normalize(title)) + sentences_of(body):
        words = [EDGE_PUNCTUATION.sub("", word).lower() for word in sentence]
        words = [word for word in words if word]
        if len(words) < SHINGLE_WORDS:
            if words:
                found.add(tuple(words))
            continue
        found.update(
            tuple(words[i : i + SHINGLE_WORDS]) for i in range(len(words) - SHINGLE_WORDS + 1)
        )
    return found


def jaccard(a: set, b: set) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def similarity(first: tuple[str, str], second: tuple[str, str]) -> float:
    """Similarity of two (title, body) pairs, from 0 to 1."""
    return jaccard(shingles(*first), shingles(*second))


def repeated(text: tuple[str, str], candidates: list[tuple[int, str, str]]) -> list[int]:
    """The ids among (id, title, body) candidates that `text` repeats (≥ 0.6 similarity)."""
    mine = shingles(*text)
    return sorted(
        pk
        for pk, title, body in candidates
        if jaccard(mine, shingles(title, body)) >= DUPLICATE_THRESHOLD
    )
