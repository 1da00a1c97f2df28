"""The error tree: one class per wire code, sensible statuses, every code documented."""

from __future__ import annotations

from pathlib import Path

import imageshare.errors as errors
from imageshare.errors import ServiceError
from imageshare.errors.ram import CODES as RAM_CODES

DOCS = Path(__file__).resolve().parents[1] / "docs"


def _leaves() -> list[type[ServiceError]]:
    found: list[type[ServiceError]] = []
    pending = [ServiceError]
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if "code" in cls.__dict__:
            found.append(cls)
    return found


def test_codes_are_unique() -> None:
    codes = [cls.code for cls in _leaves()]
    assert len(codes) == len(set(codes)), sorted(c for c in codes if codes.count(c) > 1)


def test_statuses_are_the_gateway_ones() -> None:
    assert {cls.http_status for cls in _leaves()} <= {400, 403, 404, 409, 500, 503}


def test_every_code_is_documented() -> None:
    text = "".join(p.read_text() for p in DOCS.glob("*.md"))
    missing = [cls.code for cls in _leaves() if cls.code not in text]
    assert missing == []


def test_every_error_is_importable_from_the_package() -> None:
    for cls in _leaves():
        assert getattr(errors, cls.__name__, None) is cls


def test_messages_format_without_arguments_missing() -> None:
    assert "RegionId" in errors.MissingParameter(name="RegionId").message
    assert errors.ImageNotFound().http_status == 404


def test_every_ram_code_is_documented() -> None:
    # RAM spells the entity into its codes, so those classes choose their code when raised;
    # CODES lists every spelling they can produce.
    text = (DOCS / "ram.md").read_text()
    assert [code for code in RAM_CODES if code not in text] == []
