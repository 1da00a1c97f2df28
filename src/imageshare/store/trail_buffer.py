"""Audit events written after their request, in batches: reads and failed calls.

A change's event is written in the change's own transaction (a change never commits without
its event). A read has no transaction to join that could write: on SQLite a write per read
would take the database's one write lock on every call. So a read's event (and a failed
call's, which changed nothing) waits here, and is written with others in one transaction:
by the request that brings the waiting events to ``FLUSH_AT``, in its own thread, or by a
background thread every ``FLUSH_SECONDS`` when fewer gather.

Why the request's own thread under load: the database drivers let go of the GIL around each
row they write, so a writer thread and the thread serving requests handed the GIL to each
other once per event, two context switches a read, which cost more CPU than the insert
itself (docs/performance.md). ``flush()`` writes at once (LookupEvents calls it first, so a
caller sees its own reads), and ``close()`` at shutdown. What a SIGKILL loses: this
process's waiting events, at most ``FLUSH_SECONDS`` of reads and failed calls, never a
change's event (docs/actiontrail.md)."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from imageshare.store.database import Store

log = logging.getLogger("imageshare.trail")

FLUSH_SECONDS = 1.0
# A batch a request writes: large enough to share a transaction's cost, small enough that
# the request writing it is not held long (about a millisecond on SQLite).
FLUSH_AT = 100
# Events kept for another try when the database refuses a batch; beyond this they are dropped
# (and the loss logged), so an unreachable database cannot exhaust memory.
MAX_PENDING = 50_000
PRUNE_EVERY_SECONDS = 3600.0
# A database that keeps refusing is said once, with the traceback, then once a minute.
COMPLAIN_EVERY_SECONDS = 60.0


class TrailBuffer:
    def __init__(self, store: Store, clock: Callable[[], datetime]) -> None:
        self._store = store
        self._clock = clock
        self._pending: list[tuple[Any, ...]] = []
        self._lock = threading.Lock()  # guards _pending and _thread
        self._flushing = threading.Lock()  # one batch at a time, in event order
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self._closed = False
        self.retention: timedelta | None = None  # set by the pipeline from its settings
        self._pruned_at: float | None = None  # never, so the first batch prunes
        self._complained_at: float | None = None
        self._refused_at: float | None = None  # the last batch the database refused, if any

    def add(self, item: tuple[Any, ...]) -> None:
        """A row's values in the table's column order (``TrailRepository.add``): a tuple of
        plain values, which the garbage collector leaves alone while it waits. The call that
        brings the waiting events to ``FLUSH_AT`` writes them, unless a batch is being
        written already or the database refused one in the last ``FLUSH_SECONDS`` (then the
        background thread tries again, once a second, as a request should not each time); a
        refusal is complained of, not raised."""
        with self._lock:
            self._pending.append(item)
            waiting = len(self._pending)
            if self._thread is None and not self._closed:
                self._thread = threading.Thread(
                    target=self._run, name="imageshare-trail", daemon=True
                )
                self._thread.start()
        if waiting >= FLUSH_AT and not self._refusing() and self._flushing.acquire(blocking=False):
            try:
                self._write_waiting(prune=False)  # the hourly prune is the thread's, not a call's
            except Exception as error:
                self._complain(error)
            finally:
                self._flushing.release()

    def flush(self) -> None:
        """Write every waiting event now (and forget expired ones, once an hour)."""
        with self._flushing:
            self._write_waiting(prune=True)

    def _write_waiting(self, *, prune: bool) -> None:
        """With ``_flushing`` held: write the waiting events, or keep them for the next try;
        ``prune``: forget expired events too, if an hour has passed (a large delete, which
        must not hold up the request that filled a batch)."""
        with self._lock:
            items, self._pending = self._pending, []
        try:
            self._write(items, prune=prune and self._prune_due())
        except Exception:
            self._refused_at = time.monotonic()
            self._keep(items)
            raise
        self._refused_at = None

    def _refusing(self) -> bool:
        refused = self._refused_at
        return refused is not None and time.monotonic() - refused < FLUSH_SECONDS

    def discard(self) -> None:
        """Drop the waiting events: the state they belong to is being reset or replaced."""
        with self._flushing, self._lock:
            self._pending = []

    def close(self) -> None:
        with self._lock:
            self._closed, thread = True, self._thread
        self._wake.set()
        if thread is not None:
            thread.join(timeout=10)
        try:
            self.flush()
        except Exception:
            log.exception("audit events of reads could not be written at shutdown")
        with self._lock:  # a store used again after dispose() starts a new thread
            self._closed, self._thread = False, None

    def _write(self, rows: list[tuple[Any, ...]], *, prune: bool) -> None:
        if not rows and not prune:
            return
        with self._store.unit_of_work(write=True) as uow:
            uow.trail.add(rows)
            if prune and self.retention is not None:
                uow.trail.forget_before(self._clock() - self.retention)
            uow.commit()

    def _prune_due(self) -> bool:
        now = time.monotonic()
        if self.retention is None:
            return False
        if self._pruned_at is not None and now - self._pruned_at < PRUNE_EVERY_SECONDS:
            return False
        self._pruned_at = now
        return True

    def _keep(self, items: list[tuple[Any, ...]]) -> None:
        with self._lock:
            kept = items + self._pending
            if len(kept) > MAX_PENDING:
                log.error("dropped %d audit events the database refused", len(kept) - MAX_PENDING)
                kept = kept[-MAX_PENDING:]
            self._pending = kept

    def _run(self) -> None:
        while not self._closed:
            self._wake.wait(FLUSH_SECONDS)  # set by close()
            self._wake.clear()
            try:
                self.flush()
            except Exception as error:
                self._complain(error)

    def _complain(self, error: Exception) -> None:
        now = time.monotonic()
        if self._complained_at is None:
            log.exception("audit events of reads could not be written; kept for a retry")
        elif now - self._complained_at >= COMPLAIN_EVERY_SECONDS:
            log.error("audit events of reads still cannot be written: %s", error)
        else:
            return
        self._complained_at = now
