"""The worked examples of docs/testing.md ("Faults"): every Python block marked
``<!-- fault-example -->`` passes as a test file under the plugin, as a user would run it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

ROOT = Path(__file__).resolve().parents[2]
MARKED = re.compile(r"<!-- fault-example -->\n```python\n(.+?)\n```", re.DOTALL)


def examples() -> list[str]:
    found = MARKED.findall((ROOT / "docs" / "testing.md").read_text())
    assert len(found) >= 2, "docs/testing.md lost its fault examples"
    return found


@pytest.mark.parametrize("source", examples(), ids=lambda s: re.findall(r"def (test_\w+)", s)[0])
def test_the_worked_example_passes(
    source: str, pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")
    pytester.makepyfile(test_fault_example=source)
    result = pytester.runpytest_subprocess("-p", "imageshare.testing.plugin", "-q")
    result.assert_outcomes(passed=len(re.findall(r"^def test_", source, re.MULTILINE)))
