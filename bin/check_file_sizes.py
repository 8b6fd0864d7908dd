#!/usr/bin/env python
"""No Python file over 400 lines outside migrations and tests (`make lint`).

A module that long holds several ideas: split it by idea, not by line count. Run from the
repository's root; lists the tracked files over the limit with their counts, and exits 1 if any.
"""

import subprocess
import sys
from pathlib import Path

LIMIT = 400


def exempt(path: str) -> bool:
    parts = Path(path).parts
    return parts[0] == "tests" or "migrations" in parts[:-1]


def oversized(root: Path) -> list[tuple[str, int]]:
    listed = subprocess.run(
        ["git", "ls-files", "-z", "*.py"], cwd=root, capture_output=True, text=True, check=True
    ).stdout
    found = []
    for path in sorted(filter(None, listed.split("\0"))):
        file = root / path
        if exempt(path) or not file.is_file():
            continue
        lines = len(file.read_text(encoding="utf-8").splitlines())
        if lines > LIMIT:
            found.append((path, lines))
    return found


def main() -> int:
    found = oversized(Path.cwd())
    for path, lines in found:
        print(f"{path}: {lines} lines (over {LIMIT})")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
