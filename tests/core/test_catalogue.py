"""The Vietnamese catalogue is complete: every message marked in the code has a translation."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [
    "bmp_comms",
    "communes",
    "notifications",
    "groups",
    "deadlines",
    "bulletins",
    "dashboard",
    "public",
    "messenger",
    "reports",
    "templates",
]
CATALOGUE = ROOT / "locale" / "vi" / "LC_MESSAGES" / "django.po"


@pytest.fixture
def extracted(tmp_path) -> polib.POFile:
    if shutil.which("xgettext") is None:
        if os.environ.get("CI"):
            pytest.fail("gettext tools are missing; .ci/run installs them")
        pytest.skip("gettext tools are not installed here")
    for name in SOURCES:
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("migrations"))
    (tmp_path / "locale").mkdir()
    subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", "vi", "--no-obsolete"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": ""},
    )
    return polib.pofile(str(tmp_path / "locale" / "vi" / "LC_MESSAGES" / "django.po"))


def test_every_marked_message_has_a_vietnamese_translation(extracted):
    translated = {
        (entry.msgctxt, entry.msgid)
        for entry in polib.pofile(str(CATALOGUE))
        if entry.msgstr or any(entry.msgstr_plural.values())
    }
    missing = sorted(
        entry.msgid for entry in extracted if (entry.msgctxt, entry.msgid) not in translated
    )
    assert len(extracted) > 300
    assert missing == [], "\n".join(missing)


def test_compiled_catalogue_matches_its_parts(tmp_path):
    # The .mo Django reads must be the one bin/build_locale.py makes from locale/parts/.
    compiled = polib.mofile(str(CATALOGUE.with_suffix(".mo")))
    merged = polib.pofile(str(CATALOGUE))
    assert {e.msgid: e.msgstr for e in compiled} == {e.msgid: e.msgstr for e in merged}
