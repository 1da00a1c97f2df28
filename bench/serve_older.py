"""``imageshare serve`` of another revision, on the newer schema this checkout made.

``bench/run.py --against REV`` prepares every database with this checkout's code (its schema
and its actors), then serves REV's code on it. REV's ``serve`` would refuse to start, or try
to migrate, on a schema with migrations it does not know, so its migration step is skipped
here: REV's statements name only columns it knows, and the columns added since have
defaults (bench/instructions.py replays REV's pipeline on the same kind of database). Used
only by the bench; run with REV's ``src`` first on ``PYTHONPATH``.
"""

from __future__ import annotations

from typing import Any

from imageshare.cli import main
from imageshare.store import migrate


def _already_migrated(*_args: Any, **_kwargs: Any) -> tuple[str, str]:
    # (before, after): neither None, so serve does not announce a new database.
    return ("newer", "newer")


if __name__ == "__main__":
    migrate.upgrade = _already_migrated
    main()
