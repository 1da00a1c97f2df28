"""Reading a world file: YAML with positions -> structure (pydantic) -> names and references.

Pure: no I/O besides the text given. Every problem found is reported at once, each with its
line (docs/world-files.md); a file that passes can still be refused by a product rule when it
is loaded (``imageshare.world.load``), which reports the same way.
"""

from __future__ import annotations

import difflib
from pathlib import Path as FilePath
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from imageshare.values import frozen
from imageshare.world.checks import check_world
from imageshare.world.model import WorldSpec, fields_at
from imageshare.world.problems import Lines, Path, Problem, WorldInvalid
from imageshare.world.yaml_tree import read_tree


@frozen
class WorldFile:
    """A valid world file: what it declares, and where each part of it is written."""

    spec: WorldSpec
    lines: Lines

    @property
    def source(self) -> str:
        return self.lines.source


def parse_world(text: str, source: str = "world.yaml") -> WorldFile:
    """The world ``text`` declares; ``source`` names the file in messages.

    :raises WorldInvalid: every problem found, each with its line.
    """
    tree, positions = read_tree(text, source)
    lines = Lines(source, positions)
    try:
        spec = WorldSpec.model_validate(tree)
    except ValidationError as error:
        raise WorldInvalid(_structure_problems(error, tree, lines)) from None
    problems = check_world(spec, lines)
    if problems:
        raise WorldInvalid(problems)
    return WorldFile(spec, lines)


def read_world(path: FilePath) -> WorldFile:
    """The world in the file at ``path``, named by that path in messages.

    :raises WorldInvalid: not UTF-8 text, or not a valid world file.
    :raises OSError: the file cannot be read.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise WorldInvalid([Problem(str(path), 1, (), f"not UTF-8 text: {error}")]) from None
    return parse_world(text, str(path))


def _structure_problems(error: ValidationError, tree: Any, lines: Lines) -> list[Problem]:
    if not isinstance(tree, dict):
        return [lines.problem((), "a world file is a mapping: start with `version: 1`")]
    problems: dict[tuple[Path, str], Problem] = {}
    for detail in error.errors(include_url=False):
        path, message = _explain(detail)
        problems.setdefault((path, message), lines.problem(path, message))
    return list(problems.values())


def _explain(detail: ErrorDetails) -> tuple[Path, str]:
    """(where, what) for one pydantic error, worded for someone editing the YAML."""
    path: Path = tuple(detail["loc"])
    kind = detail["type"]
    if kind == "missing":
        return path[:-1], f'"{path[-1]}" is required'
    if kind == "extra_forbidden":
        return path, _unknown_field(str(path[-1]), fields_at(path[:-1]))
    if path == ("version",):
        return path, f"version {detail['input']!r} is not supported: this imageshare reads 1"
    message = detail["msg"].removeprefix("Value error, ")
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        message = "expected a mapping of fields (name: value)"
    return path, message


def _unknown_field(name: str, allowed: list[str]) -> str:
    close = difflib.get_close_matches(name, allowed, n=1)
    hint = f'did you mean "{close[0]}"?' if close else "fields here: " + ", ".join(allowed)
    return f'unknown field "{name}" ({hint})'
