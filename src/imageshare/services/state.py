"""Administering the whole state: reset, export, import, and named snapshots.

Each use case is one transaction: a failed import or restore changes nothing. The admin
endpoints (``imageshare.http.admin``), the ``imageshare state`` commands and the pytest plugin
all come through here. The rules users see are in docs/admin.md.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from typing import Any

from imageshare.store.database import Store
from imageshare.store.state import (
    SchemaMismatch,
    SnapshotInfo,
    StateSnapshotRepository,
    consistent_read,
    export_state,
    import_state,
    reset_state,
    schema_revision,
)
from imageshare.store.state_codec import StateError, StateFormatError

__all__ = [
    "InvalidStateSnapshotName",
    "SchemaMismatch",
    "SnapshotInfo",
    "StateError",
    "StateFormatError",
    "StateSnapshotExists",
    "StateSnapshotNotFound",
    "current_revision",
    "delete_snapshot",
    "export",
    "import_",
    "list_snapshots",
    "reset",
    "restore_snapshot",
    "save_snapshot",
]

# Names travel in URL paths (/_imageshare/snapshots/NAME/restore) and shell commands, so keep
# them to characters that need no quoting in either.
SNAPSHOT_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,127}")


# Named apart from the SWAS and ECS snapshot errors (errors/); the admin API's codes keep
# their documented short names.
class InvalidStateSnapshotName(StateError):
    """A state snapshot name outside ``SNAPSHOT_NAME``."""

    code = "InvalidSnapshotName"


class StateSnapshotNotFound(StateError):
    """No state snapshot has that name."""

    code, status = "SnapshotNotFound", 404


class StateSnapshotExists(StateError):
    """A state snapshot of that name exists and the caller did not ask to replace it."""

    code, status = "SnapshotExists", 409


def reset(store: Store, *, keep_demo: bool = True) -> int | None:
    """Delete every row of the state; returns the id of the demo account kept, if any."""
    store.trail.discard()  # audit events of calls before it belong to what it replaces
    with store.transaction(write=True) as conn:
        return reset_state(conn, keep_demo=keep_demo)


def export(store: Store) -> dict[str, Any]:
    """The whole state as one JSON-ready document, read at one moment."""
    store.trail.flush()  # the audit events of the reads so far are part of it
    with consistent_read(store.engine) as conn:
        return export_state(conn)


def import_(store: Store, document: Any) -> dict[str, int]:
    """Replace the whole state with an exported document; returns rows per table.

    :raises StateFormatError: the document is malformed, or its rows break the schema's rules.
    :raises SchemaMismatch: it was exported at another schema revision.
    """
    store.trail.discard()  # audit events of calls before it belong to what it replaces
    with store.transaction(write=True) as conn:
        return import_state(conn, document)


def save_snapshot(store: Store, name: str, *, now: datetime, replace: bool = False) -> SnapshotInfo:
    """Save the current state under ``name``.

    :raises InvalidStateSnapshotName: the name breaks ``SNAPSHOT_NAME``.
    :raises StateSnapshotExists: the name is taken and ``replace`` is false.
    """
    _check_name(name)
    document = export(store)
    payload = json.dumps(document, separators=(",", ":"), ensure_ascii=True)
    revision = str(document["schema_revision"])
    with store.transaction(write=True) as conn:
        snapshots = StateSnapshotRepository(conn)
        if replace:
            snapshots.delete(name)
        if not snapshots.add(name, revision, now, payload):
            raise StateSnapshotExists(
                f"snapshot {name!r} already exists: delete it first, or ask to replace it"
            )
    return SnapshotInfo(name, revision, now, len(payload))


def restore_snapshot(store: Store, name: str) -> dict[str, int]:
    """Bring back exactly the state saved as ``name`` (idempotency records and all).

    :raises InvalidStateSnapshotName: the name breaks ``SNAPSHOT_NAME``.
    :raises StateSnapshotNotFound: no snapshot has that name.
    :raises SchemaMismatch: it was saved before a schema upgrade.
    """
    _check_name(name)
    store.trail.discard()  # audit events of calls before it belong to what it replaces
    with store.transaction(write=True) as conn:
        payload = StateSnapshotRepository(conn).payload(name)
        if payload is None:
            raise _not_found(name)
        return import_state(conn, json.loads(payload))


def list_snapshots(store: Store) -> list[SnapshotInfo]:
    with store.transaction() as conn:
        return StateSnapshotRepository(conn).list()


def delete_snapshot(store: Store, name: str) -> None:
    """:raises StateSnapshotNotFound: no snapshot has that name.
    :raises InvalidStateSnapshotName: the name breaks ``SNAPSHOT_NAME``.
    """
    _check_name(name)
    with store.transaction(write=True) as conn:
        if not StateSnapshotRepository(conn).delete(name):
            raise _not_found(name)


def current_revision(store: Store) -> str | None:
    """The database's schema revision (also proves the database answers)."""
    with store.transaction() as conn:
        return schema_revision(conn)


def _check_name(name: str) -> None:
    if not SNAPSHOT_NAME.fullmatch(name):
        raise InvalidStateSnapshotName(
            f"snapshot name {name!r} is not valid: use 1 to 128 letters, digits, '.', '_' "
            "or '-', starting with a letter or digit"
        )


def _not_found(name: str) -> StateSnapshotNotFound:
    return StateSnapshotNotFound(f"snapshot {name!r} does not exist: list them to see the names")
