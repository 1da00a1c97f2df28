"""SQLite's nonce ledger: signature nonces in a database file of their own.

Every request claims a nonce, reads too. Claimed in the main file, that write changed the
database under every other worker, and SQLite drops a connection's page cache at its next
transaction once another connection has committed: with two workers each read paid again for
pages the other had made stale (docs/performance.md, third round). In ``<database>-nonces``
a claim costs one short write of its own, and the main file changes only when the state does.
PostgreSQL keeps its nonces in its schema, claimed in the request's own transaction.

A nonce must be remembered while a request carrying it could still pass the timestamp check:
up to twice the allowed clock skew after it was first seen. Rows are never deleted one by
one (that needs a time index, a second B-tree written by every claim: measured at ~30 us a
request). Instead nonces go into one of two tables by *period* (at least that long); a claim
looks in both, and the first claim of a new period empties the table of the period before
last (both, after a quiet period), whose nonces can no longer be replayed.
"""

from __future__ import annotations

import sqlite3
import threading
from datetime import datetime, timedelta

from sqlalchemy.engine import URL, make_url

from imageshare.store.engine import execute_when_free, retry_begin_immediate, use_wal

LEDGER_SUFFIX = "-nonces"

_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS nonces_0 (access_key_id TEXT NOT NULL, nonce TEXT NOT NULL,"
    " PRIMARY KEY (access_key_id, nonce)) WITHOUT ROWID",
    "CREATE TABLE IF NOT EXISTS nonces_1 (access_key_id TEXT NOT NULL, nonce TEXT NOT NULL,"
    " PRIMARY KEY (access_key_id, nonce)) WITHOUT ROWID",
    # Which period each table holds, and the period length every server must share.
    "CREATE TABLE IF NOT EXISTS ledger (name TEXT PRIMARY KEY, value INTEGER NOT NULL)",
)
# In a table of the current period, unless the other table has it already.
_CLAIM = tuple(
    f"INSERT OR IGNORE INTO nonces_{slot} (access_key_id, nonce) SELECT ?1, ?2 WHERE NOT EXISTS"
    f" (SELECT 1 FROM nonces_{1 - slot} WHERE access_key_id = ?1 AND nonce = ?2)"
    for slot in (0, 1)
)
_EPOCH = datetime(1970, 1, 1)


class LedgerMismatch(RuntimeError):
    """The ledger remembers nonces for shorter periods than this server's clock skew needs."""


def ledger_path(url: URL | str) -> str:
    """The ledger beside the SQLite database at ``url``: its path plus ``-nonces``.

    :raises ValueError: an in-memory database, which has no file to put a ledger beside.
    """
    database = make_url(url).database or ""
    if database in ("", ":memory:") or database.startswith("file:"):
        raise ValueError(
            f"imageshare needs a SQLite database file, not {database or 'memory'!r}: "
            "use sqlite:///path/to/imageshare.db"
        )
    return database + LEDGER_SUFFIX


def period_for(skew: timedelta) -> int:
    """Seconds a period must last: twice the skew, and a minute for clock drift."""
    return int((2 * skew + timedelta(minutes=1)).total_seconds())


class NonceLedger:
    """``claim(key, nonce, now)``, safe across threads and processes on one file."""

    def __init__(self, path: str, period_seconds: int) -> None:
        self.path = path
        self._local = threading.local()  # each thread's connection
        self._all: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        # The period both tables were last seen right for; no need to look again within it.
        self._turned: int | None = None
        self.period_seconds = self._set_up(period_seconds)

    def claim(self, access_key_id: str, nonce: str, now: datetime) -> bool:
        """Record a nonce; False when this key has used it within the last two periods."""
        period = int((now - _EPOCH).total_seconds()) // self.period_seconds
        slot = period % 2
        driver = self._connection()
        if self._turned == period:
            # The tables were right for this period, and nobody turns them before the next:
            # the claim alone, in a transaction of its own (one statement, not three).
            return execute_when_free(driver, _CLAIM[slot], (access_key_id, nonce)).rowcount == 1
        retry_begin_immediate(driver)
        try:
            if self._turned != period:
                _turn(driver, period)
            claimed = driver.execute(_CLAIM[slot], (access_key_id, nonce)).rowcount == 1
            driver.execute("COMMIT")
        finally:
            if driver.in_transaction:
                driver.execute("ROLLBACK")
        self._turned = period
        return claimed

    def _set_up(self, period_seconds: int) -> int:
        """Create the tables on first use; returns the period the ledger keeps.

        :raises LedgerMismatch: the ledger's period is too short for ``period_seconds``.
        """
        driver = self._connection()
        retry_begin_immediate(driver)
        try:
            for statement in _SCHEMA:
                driver.execute(statement)
            driver.execute(
                "INSERT OR IGNORE INTO ledger VALUES ('period_seconds', ?)", (period_seconds,)
            )
            (kept,) = driver.execute(
                "SELECT value FROM ledger WHERE name = 'period_seconds'"
            ).fetchone()
            driver.execute("COMMIT")
        finally:
            if driver.in_transaction:
                driver.execute("ROLLBACK")
        if kept < period_seconds:
            raise LedgerMismatch(
                f"the nonce ledger {self.path} keeps nonces for {kept} s, and this server's "
                f"clock skew needs {period_seconds} s: every server on one database must use "
                "the same IMAGESHARE_MAX_CLOCK_SKEW_SECONDS; to change it, stop them all and "
                "delete that file (it holds only replay protection)"
            )
        return int(kept)

    def _connection(self) -> sqlite3.Connection:
        driver: sqlite3.Connection | None = getattr(self._local, "driver", None)
        if driver is None:
            driver = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            use_wal(driver)  # as the main file: one checkpoint per 1,000 pages cost reads 10 %
            # Every transaction here begins IMMEDIATE and waits for the lock itself;
            # afterwards nothing can be busy.
            driver.execute("PRAGMA busy_timeout=0")
            self._local.driver = driver
            with self._lock:
                self._all.append(driver)
        return driver

    def close(self) -> None:
        """Close every thread's connection."""
        with self._lock:
            drivers, self._all = self._all, []
        for driver in drivers:
            driver.close()
        self._local = threading.local()


def _turn(driver: sqlite3.Connection, period: int) -> None:
    """Make the two tables right for ``period``: the current one empty unless it holds this
    period, the other empty unless it holds the one before. The first claim of a period, in
    whichever process, does it; the others find it done."""
    for held in (period, period - 1):
        name = f"period_{held % 2}"
        row = driver.execute("SELECT value FROM ledger WHERE name = ?", (name,)).fetchone()
        if row is None or row[0] != held:
            driver.execute(f"DELETE FROM nonces_{held % 2}")  # SQLite truncates: no row by row
            driver.execute("INSERT OR REPLACE INTO ledger VALUES (?, ?)", (name, held))
