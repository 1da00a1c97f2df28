"""Other git revisions of imageshare, checked out beside this one, to measure side by side.

On a machine whose speed moves from one minute to the next, two versions compare only when
they run alternately within minutes (docs/performance.md): each revision gets a temporary git
worktree, and its code runs by putting the worktree's ``src`` first on ``PYTHONPATH``.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


@contextmanager
def checked_out(revisions: Sequence[str], scratch: Path) -> Iterator[dict[str, Path]]:
    """``{revision: its checkout}`` in temporary worktrees under ``scratch``, removed at the
    end.

    :raises subprocess.CalledProcessError: git does not know a revision.
    """
    checkouts: dict[str, Path] = {}
    try:
        for revision in revisions:
            path = scratch / f"rev-{len(checkouts) + 1}"
            _git("worktree", "add", "--detach", str(path), revision)
            checkouts[revision] = path
        yield checkouts
    finally:
        for path in checkouts.values():
            _git("worktree", "remove", "--force", str(path))


def python_path(checkout: Path, *more: Path) -> str:
    """A ``PYTHONPATH`` that imports imageshare from ``checkout``, then ``more``."""
    return os.pathsep.join(str(p) for p in (checkout / "src", *more))


def _git(*args: str) -> None:
    subprocess.run(["git", *args], cwd=ROOT, check=True, capture_output=True)
