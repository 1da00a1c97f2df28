"""Is the database still usable: can it be read and written, and (SQLite) is it still the file
the server opened? And which driver errors mean "not now" rather than "a bug"?

A SQLite file deleted under a running server keeps working through the open descriptor, so
every write would be acknowledged and lost at the next restart; a file replaced (restored
from a backup, another `imageshare serve` making a new one) splits the servers' views; a file
made read-only still takes writes through the descriptors opened before. So the pipeline
refuses writes, and health answers 503, once the path no longer names a writable file, the
one the server opened (docs/admin.md, "Health").
"""

from __future__ import annotations

import os
import sqlite3
import stat
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

from imageshare.values import frozen

if TYPE_CHECKING:
    from imageshare.store.database import Store


# The drivers' "the database cannot serve this now" errors: a lost or refused connection, a
# read-only or full disk, a file that is no database. Integrity and programming errors are
# not among them: those are bugs, and stay 500.
_UNAVAILABLE: tuple[type[Exception], ...] = (sqlite3.OperationalError, sqlite3.InterfaceError)
try:
    import psycopg
except ImportError:  # installed without the `postgres` extra: no PostgreSQL URL is served
    pass
else:
    _UNAVAILABLE += (psycopg.OperationalError, psycopg.InterfaceError)
_NOT_A_DATABASE = ("file is not a database", "database disk image is malformed")


def is_unavailable(error: BaseException) -> bool:
    """The error says the database is unavailable (retryable), not that the request is bad."""
    cause = error.orig if isinstance(error, DBAPIError) and error.orig is not None else error
    if isinstance(cause, _UNAVAILABLE):
        return True
    return isinstance(cause, sqlite3.DatabaseError) and str(cause) in _NOT_A_DATABASE


@frozen
class FileIdentity:
    """The SQLite file a server opened: its absolute path, device and inode."""

    path: Path
    device: int
    inode: int

    @classmethod
    def of(cls, engine: Engine) -> FileIdentity | None:
        """None for PostgreSQL and in-memory SQLite."""
        database = engine.url.database
        if engine.dialect.name != "sqlite" or not database or database == ":memory:":
            return None
        path = Path(database).resolve()
        try:
            found = path.stat()
        except OSError:  # not made yet: the first connection makes it, nothing to guard
            return None
        return cls(path, found.st_dev, found.st_ino)

    @cached_property
    def _names(self) -> tuple[str, str]:
        # Checked before every write: plain strings, since pathlib costs more than the calls.
        return str(self.path), str(self.path.parent)

    def problem(self) -> str | None:
        """Why the path no longer leads to the file the server opened, or None."""
        file, directory = self._names
        try:
            found = os.stat(file)
            writable = _writable(found) and _writable(os.stat(directory))
        except FileNotFoundError:
            return f"the database file {file} was deleted while the server ran"
        except OSError as error:
            return f"the database file {file} cannot be reached: {error.strerror}"
        if (found.st_dev, found.st_ino) != (self.device, self.inode):
            return f"the database file {file} was replaced while the server ran"
        # Descriptors opened earlier still write to a file made read-only, but a new
        # connection, worker or restart cannot: the operator's "no more writes" is honoured.
        if not writable:
            return f"the database file {file} or its directory is no longer writable"
        return None


def _holds_dac_override() -> bool:
    """Whether this process holds CAP_DAC_OVERRIDE, which is what lets root write whatever the
    mode bits say: root started without it (``setpriv --bounding-set -dac_override``, a
    container's dropped capabilities) is bound by the owner's bits as any user is."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            effective = next(line for line in status if line.startswith("CapEff:"))
    except (OSError, StopIteration):  # not Linux: root as POSIX describes it
        return True
    return bool(int(effective.split()[1], 16) & (1 << _CAP_DAC_OVERRIDE))


_CAP_DAC_OVERRIDE = 1  # linux/capability.h
_HOLDS_DAC_OVERRIDE = _holds_dac_override()


def _writable(found: os.stat_result) -> bool:
    """What access(W_OK) says from the mode bits, on a stat already made: a system call fewer
    per write (ACLs and read-only mounts are left to the database errors, docs/admin.md)."""
    if os.geteuid() == 0 and _HOLDS_DAC_OVERRIDE:  # root writes whatever the mode says
        return True
    if found.st_uid == os.geteuid():
        return bool(found.st_mode & stat.S_IWUSR)
    if found.st_gid == os.getegid() or found.st_gid in os.getgroups():
        return bool(found.st_mode & stat.S_IWGRP)
    return bool(found.st_mode & stat.S_IWOTH)


def probe(store: Store) -> str | None:
    """Read the schema revision and write it back unchanged, committed: a database that cannot
    take a write (read-only file or directory, full disk) fails here as every request would.

    :returns: the schema revision.
    :raises Exception: whatever the driver raised.
    """
    with store.transaction(write=True) as conn:
        revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        conn.execute(text("UPDATE alembic_version SET version_num = version_num"))
    return None if revision is None else str(revision)


def describe(error: BaseException) -> str:
    """One line for a health answer or a log: the driver's message, not a traceback."""
    cause = error.orig if isinstance(error, DBAPIError) and error.orig is not None else error
    first_line = (str(cause).strip().splitlines() or [""])[0]
    return f"{type(cause).__name__}: {first_line}"[:300]
