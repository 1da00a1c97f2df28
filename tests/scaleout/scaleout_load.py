"""Shared by the scale-out tests (no tests here): a cluster of real `imageshare serve`
processes on one database, clients released together on threads, and what each got back."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from support import processes
from support.databases import database_url, migrated_database_url
from support.processes import ServerProcess
from support.world import AccountKeys, World

from imageshare.config import Settings
from imageshare.domain.times import utcnow
from imageshare.services.accounts import create_account
from imageshare.store.database import Store
from imageshare.store.engine import make_engine

T = TypeVar("T")

# What every server here enforces: the setting's default, which the servers run with.
LIMIT: int = Settings.model_fields["swas_share_limit"].default
QUOTA_CODE = "QuotaExceed.ShareImageUser"
# Generous for one call, tight for a test: a client that waits longer has hung.
RACE_SECONDS = 60.0
# What must never reach a client, however hard the database is contended.
LOCK_SYMPTOMS = ("database is locked", "deadlock detected", "could not serialize")


@dataclass(frozen=True)
class Answer:
    """One call as its client saw it. ``status`` 0: no HTTP answer at all (refused, reset)."""

    status: int
    code: str = ""
    message: str = ""
    body: dict[str, Any] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.status == 200


def ask(call: Callable[[], Any]) -> Answer:
    """Make one SDK call and keep what came back, success, error or silence."""
    started = time.monotonic()
    try:
        response = call()
    except Exception as error:  # the SDKs raise for every non-2xx answer and every I/O failure
        elapsed = time.monotonic() - started
        status = getattr(error, "status_code", None)
        if not isinstance(status, int):
            return Answer(0, type(error).__name__, str(error), {}, elapsed)
        data = getattr(error, "data", None)
        body = data if isinstance(data, dict) else {}
        return Answer(status, str(error.code), str(error.message), body, elapsed)  # type: ignore[attr-defined]
    body = response.body.to_map()
    return Answer(response.status_code, "", "", body, time.monotonic() - started)


def race(jobs: Sequence[Callable[[], T]], seconds: float = RACE_SECONDS) -> list[T]:
    """Run every job on its own thread, released at the same instant; results in job order.

    :raises AssertionError: a job raised, or had not finished after ``seconds``.
    """
    start = threading.Barrier(len(jobs))
    results: dict[int, T] = {}
    failures: list[BaseException] = []

    def run(index: int, job: Callable[[], T]) -> None:
        try:
            start.wait(timeout=seconds)
            results[index] = job()
        except BaseException as error:  # reported below, on the test's thread
            failures.append(error)

    threads = [threading.Thread(target=run, args=item, daemon=True) for item in enumerate(jobs)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + seconds
    for thread in threads:
        thread.join(timeout=max(0.0, deadline - time.monotonic()))
    assert not failures, f"a client failed: {failures[0]!r}"
    assert len(results) == len(jobs), "a client was still waiting when the race timed out"
    return [results[index] for index in range(len(jobs))]


def unexpected(answers: Sequence[Answer], allowed: Sequence[tuple[int, str]]) -> list[Answer]:
    """Answers that are neither a success nor one of the ``allowed`` (status, code) errors."""
    return [a for a in answers if not a.ok and (a.status, a.code) not in allowed]


def assert_no_lock_symptoms(answers: Sequence[Answer]) -> None:
    """SQLite's single writer and PostgreSQL's row locks may only make a client wait."""
    leaked = [a for a in answers if a.status >= 500 or any(s in a.message for s in LOCK_SYMPTOMS)]
    assert not leaked, f"contention reached a client: {leaked[:3]}"


def assert_logs_clean(servers: Sequence[ServerProcess]) -> None:
    for server in servers:
        log = server.log()
        assert "Traceback" not in log, log
        assert not any(symptom in log for symptom in LOCK_SYMPTOMS), log


def make_accounts(store: Store, count: int) -> list[AccountKeys]:
    """``count`` China-site accounts with a root key each, in one transaction."""
    made = []
    with store.unit_of_work(write=True) as uow:
        for _ in range(count):
            account, key = create_account(uow, site="china", now=utcnow())
            made.append(AccountKeys(account.id, account.site, key.id, key.secret))
        uow.commit()
    return made


@dataclass
class Cluster:
    """Servers on one database, and the test's own store on that same database."""

    url: str
    store: Store
    servers: list[ServerProcess]

    def world(self, index: int = 0) -> World:
        """A World pointed at server ``index`` (taken modulo the server count)."""
        return World(self.servers[index % len(self.servers)].endpoint, self.store)


@contextmanager
def database(backend: str, tmp: Path) -> Iterator[tuple[str, Store]]:
    """A new, migrated database (SQLite file in ``tmp``, or a throw-away PostgreSQL schema)."""
    with migrated_database_url(backend, str(tmp)) as url:
        store = Store(make_engine(url))
        try:
            yield url, store
        finally:
            store.dispose()


@contextmanager
def cluster(backend: str, tmp: Path, *, servers: int = 2, workers: int = 2) -> Iterator[Cluster]:
    """``servers`` × ``workers`` processes started together on a new, empty database: they
    create its schema themselves, so starting them side by side is tested too."""
    with (
        database_url(backend, str(tmp)) as url,
        processes.running(url, tmp, count=servers, workers=workers) as running,
    ):
        store = Store(make_engine(url))
        try:
            yield Cluster(url, store, running)
        finally:
            store.dispose()
