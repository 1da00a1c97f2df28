"""Instructions per request, counted by valgrind: a figure that does not move with the load.

Wall-clock figures on a shared virtual machine moved by a factor of two from one minute to the
next, and by 3.5 from one machine to the next (docs/performance.md). Callgrind counts the
instructions a process executes, the same on every run of the same code and inputs, whatever
else the machine is doing. It leaves out cache misses and time in the kernel, so it measures
the Python and SQLite work of a request, not its time: use it to compare two versions of the
code side by side, and the load benchmarks (``bench/run.py``) for throughput.

Each version handles the same pre-signed requests (``bench/profile.py``'s, on a copy of one
SQLite database) twice under callgrind: the warm-up alone, then the warm-up and ``--count``
more, then closes its store (writing the audit events still waiting); the difference divided
by ``--count`` is the figure, so it holds each call's audit event, written in batches as under
load. ``--against REV`` measures a git revision too, checked out in a temporary worktree;
``--without-trail`` this checkout with the audit trail switched off (IMAGESHARE_AUDIT_TRAIL=off).

    .venv/bin/python bench/instructions.py --scenario read --against HEAD~3
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import pickle
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import click

from bench.revisions import ROOT, checked_out, python_path
from bench.scenarios import SCENARIOS

WARM_UP = 30
SIGNED_AT = "signed-at"
UNRECORDED = "working tree, audit trail off"
_COLLECTED = re.compile(r"Collected : (\d+)")


@click.command()
@click.option("--scenario", type=click.Choice(sorted(SCENARIOS)), default="read")
@click.option("--count", default=300, show_default=True, help="Requests counted per version.")
@click.option("--against", "revisions", multiple=True, help="A git revision to measure too.")
@click.option("--replay", type=click.Path(file_okay=False), hidden=True)
@click.option("--calls", type=int, default=0, hidden=True)
@click.option(
    "--without-trail",
    is_flag=True,
    help="Also measure this checkout with the audit trail off (IMAGESHARE_AUDIT_TRAIL=off).",
)
@click.option("--no-recording", is_flag=True, hidden=True)
@click.option(
    "--layer",
    type=click.Choice(["pipeline", "app"]),
    default="pipeline",
    show_default=True,
    help="Count Pipeline.handle alone, or the whole ASGI app as uvicorn calls it (reading "
    "the request, metrics, the request log, the answer).",
)
def main(
    scenario: str,
    count: int,
    revisions: tuple[str, ...],
    replay: str | None,
    calls: int,
    without_trail: bool,
    no_recording: bool,
    layer: str,
) -> None:
    """Count the instructions one request of a scenario costs, here and at other revisions."""
    if replay is not None:
        _replay(Path(replay), calls, recording=not no_recording, layer=layer)
        return
    if shutil.which("valgrind") is None:
        raise click.ClickException("valgrind is not installed: apt-get install valgrind")
    with tempfile.TemporaryDirectory() as scratch:
        data = Path(scratch) / "data"
        click.echo(f"preparing {WARM_UP + count} {scenario} requests ...")
        _prepare(data, scenario, WARM_UP + count)
        with checked_out(revisions, Path(scratch)) as checkouts:
            versions = {"working tree": (ROOT, True)}
            versions.update((name, (path, True)) for name, path in checkouts.items())
            if without_trail:
                versions[UNRECORDED] = (ROOT, False)
            figures = _measure(data, versions, count, layer)
    _report(f"{scenario}, {layer}", count, figures)


def _prepare(data: Path, scenario: str, total: int) -> None:
    """A SQLite database and ``total`` pre-signed requests, as plain tuples (any version of
    imageshare can rebuild its own RawRequest from them)."""
    from bench.profile import _requests

    data.mkdir(parents=True)
    url = f"sqlite:///{data}/bench.db"
    requests = [  # _requests migrates the new database first
        (raw.method, raw.query_string, dict(raw.headers), raw.body, raw.path)
        for raw in _requests(url, scenario, total, "acs3")
    ]
    (data / "requests.pickle").write_bytes(pickle.dumps(requests))
    (data / SIGNED_AT).write_text(datetime.now(UTC).replace(tzinfo=None).isoformat())


def _measure(
    data: Path, versions: dict[str, tuple[Path, bool]], count: int, layer: str
) -> dict[str, int]:
    """Instructions per request of each version (its checkout, and whether it records the
    audit trail); the runs go side by side, one per core."""
    runs = [(name, calls) for name in versions for calls in (0, count)]
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        totals = list(
            pool.map(lambda run: _instructions(data, *versions[run[0]], run[1], layer), runs)
        )
    collected = dict(zip(runs, totals, strict=True))
    return {name: (collected[name, count] - collected[name, 0]) // count for name in versions}


def _instructions(data: Path, checkout: Path, recording: bool, calls: int, layer: str) -> int:
    click.echo(f"  callgrind: {checkout.name or checkout} handling {WARM_UP} + {calls} ...")
    command = [
        "valgrind",
        "--tool=callgrind",
        "--callgrind-out-file=/dev/null",
        sys.executable,
        str(ROOT / "bench" / "instructions.py"),
        f"--replay={data}",
        f"--calls={calls}",
        *([] if recording else ["--no-recording"]),
        f"--layer={layer}",
    ]
    # The version's own imageshare comes first; bench/ is this checkout's.
    # A fixed hash seed: with a random one per process, dict and set layouts (and so the
    # instructions) differed by 2-3 % between two runs of the same code.
    env = {**os.environ, "PYTHONPATH": python_path(checkout, ROOT), "PYTHONHASHSEED": "0"}
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    found = _COLLECTED.search(done.stderr)
    if done.returncode != 0 or found is None:
        raise click.ClickException(f"the run under valgrind failed:\n{done.stderr[-2000:]}")
    return int(found.group(1))


def _replay(data: Path, calls: int, recording: bool = True, layer: str = "pipeline") -> None:
    """Inside valgrind: handle the warm-up and ``calls`` requests on a copy of the database,
    then close the store (which writes the audit events still waiting, so every call's event
    is counted)."""
    from imageshare.app import create_app
    from imageshare.config import Settings
    from imageshare.pipeline.wire import RawRequest

    with _batches_as_under_load(), tempfile.TemporaryDirectory() as copy:
        for path in data.glob("bench.db*"):
            shutil.copy(path, copy)
        url = f"sqlite:///{copy}/bench.db"
        # create_app makes its own store: the same call whichever version is measured.
        # Only this checkout is asked to stop recording (older revisions have no such setting).
        settings = Settings(database_url=url)
        app = create_app(settings if recording else Settings(database_url=url, audit_trail=False))
        app.pipeline.clock = _clock_since((data / SIGNED_AT).read_text())
        requests: list[tuple[Any, ...]] = pickle.loads((data / "requests.pickle").read_bytes())
        if layer == "app":
            asyncio.run(_through_the_app(app, requests[: WARM_UP + calls]))
        for fields in requests[: WARM_UP + calls] if layer == "pipeline" else ():
            response = app.pipeline.handle(RawRequest(*fields))
            if response.status != 200:
                raise SystemExit(f"HTTP {response.status}: {response.body[:300]!r}")
        app.pipeline.store.dispose()


async def _through_the_app(app: Any, requests: list[tuple[Any, ...]]) -> None:
    """``--layer app``: each request as uvicorn hands it to the ASGI app, so the count holds
    what the app does around the pipeline (reading the request, metrics, the request log,
    the answer), with the request log configured as ``serve`` does, written to /dev/null."""
    try:
        from imageshare.http.requestlog import configure_logging
    except ImportError:  # a revision before the request log
        pass
    else:
        # The handler keeps the stream it is made with: /dev/null, for the rest of the run.
        with contextlib.redirect_stderr(open(os.devnull, "w")):
            configure_logging("info", "text")
    for method, query, headers, body, path in requests:
        sent: list[dict[str, Any]] = []
        await app(_scope(method, query, headers, path), _body(body), _collect(sent))
        if sent[0]["status"] != 200:
            raise SystemExit(f"HTTP {sent[0]['status']}: {sent[1]['body'][:300]!r}")


def _scope(method: str, query: str, headers: dict[str, list[str]], path: str) -> dict[str, Any]:
    return {
        "type": "http",
        "http_version": "1.1",
        "scheme": "http",
        "method": method,
        "path": path,
        "raw_path": path.encode(),
        "query_string": query.encode(),
        "root_path": "",
        "headers": [(k.encode(), v.encode()) for k, values in headers.items() for v in values],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8080),
    }


def _body(body: bytes) -> Callable[[], Awaitable[dict[str, Any]]]:
    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": body, "more_body": False}

    return receive


def _collect(sent: list[dict[str, Any]]) -> Callable[[dict[str, Any]], Awaitable[None]]:
    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    return send


@contextmanager
def _batches_as_under_load() -> Iterator[None]:
    """The audit trail's batch writer (store/trail_buffer.py) writes every second, or at
    ``FLUSH_AT`` waiting events. Under valgrind a second holds some 50 calls, where a loaded
    server handles thousands: its timer is turned off here, so batches fill as they do under
    load, and the count no longer depends on how fast valgrind ran (with the timer it moved
    by a few per cent from run to run)."""
    try:
        from imageshare.store import trail_buffer
    except ImportError:  # a revision before the audit trail
        yield
        return
    every = trail_buffer.FLUSH_SECONDS
    trail_buffer.FLUSH_SECONDS = 24 * 3600.0
    try:
        yield
    finally:
        trail_buffer.FLUSH_SECONDS = every


def _clock_since(signed_at: str) -> Callable[[], datetime]:
    """The server's clock as if the replay ran the moment its requests were signed: on a
    loaded machine the runs under valgrind took longer than the 15 minutes a signature's
    timestamp is accepted for, and the last version measured met only expired requests."""
    start, started = datetime.fromisoformat(signed_at), time.monotonic()
    return lambda: start + timedelta(seconds=time.monotonic() - started)


def _report(scenario: str, count: int, figures: dict[str, int]) -> None:
    base = figures["working tree"]
    click.echo(f"\n{scenario}: instructions per request (callgrind, mean of {count})")
    click.echo("| version | instructions per request | against the working tree |")
    click.echo("|---|---|---|")
    for name, figure in figures.items():
        click.echo(f"| {name} | {figure:,} | {figure / base:.3f} |")


if __name__ == "__main__":
    main()
