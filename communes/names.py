"""How a list of communes is ordered and searched, wherever one is shown: the dashboard's
table, a deadline's submissions."""

import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from typing import Protocol, TypeVar


class Named(Protocol):
    name: str
    code: str


NamedT = TypeVar("NamedT", bound=Named)

# A longer search than any commune's name or code is cut to this length.
QUERY_MAX_LENGTH = 100


# A worker's communes are the same from one page to the next: each name is folded once.
@lru_cache(maxsize=65_536)
def name_key(name: str) -> str:
    """Vietnamese alphabetical order, near enough for a list of communes: accents ignored,
    and đ after every other d (as the alphabet has it) rather than after z."""
    folded = unicodedata.normalize("NFD", name.casefold().replace("đ", "d{"))
    return "".join(char for char in folded if not unicodedata.combining(char))


def search_key(text: str) -> str:
    """`name_key` for matching rather than ordering: đ is a d (a search typed without accents
    finds it) and runs of spaces are one space."""
    return " ".join(name_key(text).replace("d{", "d").split())


def parse_query(value: str | None) -> str:
    """A `?q=` search, trimmed; "" for none."""
    return (value or "").strip()[:QUERY_MAX_LENGTH]


def search_communes(communes: Sequence[NamedT], query: str) -> list[NamedT]:
    """The communes whose name holds `query`, case and accents aside (`phu nghia` finds Phú
    Nghĩa, `da kia` finds Đa Kia), or whose code holds it; every one for an empty query."""
    query = query.strip()
    if not query:
        return list(communes)
    wanted = search_key(query)
    return [c for c in communes if wanted in search_key(c.name) or query in c.code]
