"""docs/rules.md cites the tests that hold each rule: a moved or renamed test breaks here, and
every anchor a comment may point to is unique."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RULES = ROOT / "docs" / "rules.md"
CITATION = re.compile(r"\b(tests/[\w/]+\.py)::(\w+)")
ANCHOR = re.compile(r'<a id="([^"]+)"></a>')


def test_every_cited_test_exists():
    text = RULES.read_text(encoding="utf-8")
    citations = sorted(set(CITATION.findall(text)))
    assert citations, "docs/rules.md cites no test"
    missing = []
    for path, name in citations:
        source = ROOT / path
        defined = re.compile(rf"^\s*(?:async\s+def|def|class)\s+{re.escape(name)}\b", re.MULTILINE)
        if not source.is_file() or not defined.search(source.read_text(encoding="utf-8")):
            missing.append(f"{path}::{name}")
    assert not missing, f"docs/rules.md cites tests that do not exist: {missing}"


def test_every_anchor_is_unique():
    ids = ANCHOR.findall(RULES.read_text(encoding="utf-8"))
    assert ids, "docs/rules.md has no anchor"
    assert [i for i in ids if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", i)] == []
    assert [i for i, n in Counter(ids).items() if n > 1] == []


def test_every_link_within_the_page_has_its_anchor():
    text = RULES.read_text(encoding="utf-8")
    anchors = set(ANCHOR.findall(text))
    assert sorted(set(re.findall(r"\]\(#([^)]+)\)", text)) - anchors) == []
