"""PostgreSQL's driver is an optional extra: without it, a PostgreSQL URL says what to install;
the test extra pulls it in, so the suite always has it."""

from __future__ import annotations

import importlib.util
import tomllib
from pathlib import Path

import pytest

from imageshare.store import engine

ROOT = Path(__file__).resolve().parents[2]


def test_a_postgres_url_without_the_driver_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "psycopg" else real(name, *a)
    )
    with pytest.raises(ModuleNotFoundError, match=r"pip install 'imageshare\[postgres\]'"):
        engine.make_engine("postgresql://nobody@127.0.0.1/none")


def test_the_driver_is_an_extra_that_the_test_extra_includes() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert not any(d.startswith("psycopg") for d in project["dependencies"])
    assert any(d.startswith("psycopg") for d in project["optional-dependencies"]["postgres"])
    assert "imageshare[postgres]" in project["optional-dependencies"]["test"]
