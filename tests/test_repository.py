"""The repository keeps its promises: CI runs the README's test command, the code is clean."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def _readme_commands() -> list[str]:
    return re.findall(r"```sh\n(.+?)\n```", (ROOT / "README.md").read_text())


def test_ci_runs_the_readme_test_command() -> None:
    serve, test = _readme_commands()[:2]
    assert "imageshare serve" in serve
    assert "pytest" in test
    assert test in (ROOT / ".ci" / "run").read_text().splitlines()


def test_ruff_is_clean() -> None:
    check = subprocess.run([BIN / "ruff", "check", "src", "tests"], cwd=ROOT, capture_output=True)
    assert check.returncode == 0, check.stdout.decode()
    fmt = subprocess.run(
        [BIN / "ruff", "format", "--check", "src", "tests"], cwd=ROOT, capture_output=True
    )
    assert fmt.returncode == 0, fmt.stdout.decode()


def test_mypy_strict_is_clean() -> None:
    result = subprocess.run([BIN / "mypy"], cwd=ROOT, capture_output=True)
    assert result.returncode == 0, result.stdout.decode()
