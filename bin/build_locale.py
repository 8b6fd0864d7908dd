#!/usr/bin/env python
"""Merge the Vietnamese catalogue parts (locale/parts/*.po) into locale/vi and compile it.

Parts keep the catalogue reviewable by area (pages, API, DRF's own messages, reports...);
Django reads only the merged, compiled file. Pure Python, so no gettext tools are needed.
The first translation of a message wins; an empty one is an error.
"""

import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
PARTS = sorted((ROOT / "locale" / "parts").glob("*.po"))
TARGET = ROOT / "locale" / "vi" / "LC_MESSAGES" / "django.po"


def main() -> int:
    catalogue = polib.POFile(wrapwidth=0)
    catalogue.metadata = {
        "Project-Id-Version": "bmp_comms",
        "Language": "vi",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": "nplurals=1; plural=0;",
    }
    seen: set[tuple[str | None, str]] = set()
    missing = []
    for part in PARTS:
        for entry in polib.pofile(str(part), encoding="utf-8"):
            key = (entry.msgctxt, entry.msgid)
            if key in seen or entry.obsolete:
                continue
            if not (entry.msgstr or any(entry.msgstr_plural.values())):
                missing.append(f"{part.name}: {entry.msgid!r}")
                continue
            seen.add(key)
            catalogue.append(entry)
    if missing:
        print("untranslated messages:\n" + "\n".join(missing), file=sys.stderr)
        return 1
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    catalogue.save(str(TARGET))
    catalogue.save_as_mofile(str(TARGET.with_suffix(".mo")))
    print(f"{len(catalogue)} messages from {len(PARTS)} parts → {TARGET.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
