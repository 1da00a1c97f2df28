"""``@frozen`` (imageshare/values.py): a value the type checker keeps unchanged, with a frozen
dataclass's equality and hash, made at a plain dataclass's cost."""

from __future__ import annotations

import dataclasses
import textwrap
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from mypy import api as mypy_api

from imageshare.values import frozen

SRC = Path(__file__).resolve().parents[2] / "src"


@frozen
class Made:
    name: str
    count: int = 0


@dataclasses.dataclass(frozen=True)
class Reference:
    name: str
    count: int = 0


@given(st.text(), st.integers(), st.text(), st.integers())
def test_equality_and_hash_are_a_frozen_dataclass_s(a: str, i: int, b: str, j: int) -> None:
    assert (Made(a, i) == Made(b, j)) == (Reference(a, i) == Reference(b, j))
    assert hash(Made(a, i)) == hash(Reference(a, i))
    assert {Made(a, i): 1}[Made(a, i)] == 1
    assert dataclasses.replace(Made(a, i), count=j) == Made(a, j)


@pytest.mark.parametrize(
    ("options", "made"),
    [("", "Made('x', 1)"), ("(kw_only=True)", "Made(name='x', count=1)"), ("(slots=True)", "")],
)
def test_assigning_a_field_is_a_type_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, options: str, made: str
) -> None:
    """What keeps the values unchanged is ``mypy --strict`` (the suite runs it): an
    assignment to a field of a ``@frozen`` class must be refused there, in every form."""
    module = tmp_path / "assigns.py"
    module.write_text(
        textwrap.dedent(f"""
            from imageshare.values import frozen

            @frozen{options}
            class Made:
                name: str
                count: int = 0

            made = {made or "Made('x', 1)"}
            made.count = 2
        """)
    )
    monkeypatch.setenv("MYPYPATH", str(SRC))  # this checkout's imageshare, installed or not
    out, _, status = mypy_api.run(
        ["--strict", "--no-incremental", "--python-version", "3.11", str(module)]
    )
    assert status == 1, out
    assert 'Property "count" defined in "Made" is read-only' in out


def test_the_source_declares_immutable_values_one_way() -> None:
    declared_frozen = [
        str(path.relative_to(SRC))
        for path in SRC.rglob("*.py")
        if "@dataclass(frozen=True" in path.read_text()
    ]
    assert declared_frozen == [], "use @frozen (imageshare/values.py)"
