"""bin/check_file_sizes.py (`make lint`): a file over 400 lines outside migrations and tests
fails the lint, naming the file and its count; one of 400 lines passes."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHECKER = ROOT / "bin" / "check_file_sizes.py"


def write(repo: Path, path: str, lines: int) -> None:
    file = repo / path
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_text("".join(f"x_{n} = {n}\n" for n in range(lines)))


def check(repo: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(CHECKER)], cwd=repo, capture_output=True, text=True, check=False
    )


def test_a_file_over_400_lines_fails_and_is_named(tmp_path):
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    write(tmp_path, "app/big.py", 401)
    write(tmp_path, "app/fits.py", 400)
    write(tmp_path, "app/migrations/0001_initial.py", 500)
    write(tmp_path, "tests/app/test_long.py", 500)
    write(tmp_path, "untracked.py", 900)
    subprocess.run(["git", "add", "app", "tests"], cwd=tmp_path, check=True)

    result = check(tmp_path)

    assert result.returncode == 1
    assert result.stdout.splitlines() == ["app/big.py: 401 lines (over 400)"]


def test_files_of_400_lines_or_fewer_pass(tmp_path):
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    write(tmp_path, "app/fits.py", 400)
    write(tmp_path, "app/migrations/0001_initial.py", 500)
    subprocess.run(["git", "add", "app"], cwd=tmp_path, check=True)

    result = check(tmp_path)

    assert result.returncode == 0
    assert result.stdout == ""
