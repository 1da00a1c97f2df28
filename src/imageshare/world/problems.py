"""What is wrong with a world file, and where: ``world.yaml:12: accounts[0].ram.users[1]: ...``.

A path is the position of a value in the file, as a tuple of mapping keys and list indexes
(``("accounts", 0, "ram", "users", 1)``); every problem carries the 1-based line of the
deepest part of its path that the file has, so a missing field points at its parent entry.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from imageshare.values import frozen

Path = tuple[str | int, ...]


def render_path(path: Path) -> str:
    """``("accounts", 0, "ram")`` -> ``accounts[0].ram``; the whole file's path is empty."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


@frozen
class Problem:
    source: str
    line: int
    path: Path
    message: str

    def __str__(self) -> str:
        where = f"{render_path(self.path)}: " if self.path else ""
        return f"{self.source}:{self.line}: {where}{self.message}"


class Lines:
    """Where each value of one file starts, and the file's name for messages."""

    def __init__(self, source: str, lines: Mapping[Path, int]) -> None:
        self.source = source
        self._lines = dict(lines)

    def line(self, path: Path) -> int:
        """The line of ``path``, or of its closest ancestor the file has (1 for the file)."""
        for end in range(len(path), -1, -1):
            found = self._lines.get(path[:end])
            if found is not None:
                return found
        return 1

    def problem(self, path: Path, message: str) -> Problem:
        return Problem(self.source, self.line(path), path, message)


class WorldError(Exception):
    """A world file that cannot be loaded; ``problems`` has every reason found, by line.

    Raised before any write when the file itself is wrong (:class:`WorldInvalid`), and from
    inside the one loading transaction, which is then rolled back, when a product rule or the
    database refuses an entry (:class:`WorldRefused`).
    """

    def __init__(self, problems: Sequence[Problem]) -> None:
        # By line; on one line, in the order found (the fields' order).
        self.problems = sorted(problems, key=lambda p: p.line)
        super().__init__("\n".join(str(p) for p in self.problems))


class WorldInvalid(WorldError):
    """The file is not a valid world file: syntax, structure, names or references."""


class WorldRefused(WorldError):
    """A valid file whose loading a product rule or the database refused; nothing was written."""
