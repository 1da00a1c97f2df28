"""Where a request's time goes: the pipeline called in-process, timed and profiled.

No HTTP server and no load generator: the same pre-signed requests the load benchmarks send
are parsed into ``RawRequest`` objects beforehand and handed to ``Pipeline.handle`` one after
the other, so the figure is the server's own CPU time per call (one process, one core) and
the pyinstrument tree shows where it is spent.

    .venv/bin/python bench/profile.py --scenario write --count 3000
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import click

from bench import actors as bench_actors
from bench.loadgen import percentile
from bench.presign import SCHEMES
from bench.scenarios import SCENARIOS, build_lanes
from imageshare.app import create_app
from imageshare.config import Settings
from imageshare.pipeline.wire import RawRequest, WireResponse
from imageshare.store.database import Store
from imageshare.store.engine import make_engine


def parse_raw(message: bytes) -> RawRequest:
    """Our own pre-built request bytes as the ASGI layer would hand them to the pipeline."""
    head, _, body = message.partition(b"\r\n\r\n")
    request_line, *header_lines = head.decode("latin-1").split("\r\n")
    method, target, _version = request_line.split(" ")
    path, _, query = target.partition("?")
    headers: dict[str, list[str]] = {}
    for line in header_lines:
        name, _, value = line.partition(":")
        headers.setdefault(name.strip().lower(), []).append(value.strip())
    return RawRequest(method, query, headers, body, unquote(path))


def _requests(database_url: str, scenario: str, count: int, scheme: str) -> list[RawRequest]:
    actors = bench_actors.prepare(database_url, lanes=1)
    lanes = build_lanes(
        SCENARIOS[scenario], actors, "127.0.0.1:8080", lanes=1, count=count, scheme=scheme
    )
    return [parse_raw(message) for message in lanes[0]]


@click.command()
@click.option("--scenario", type=click.Choice(sorted(SCENARIOS)), default="write")
@click.option("--scheme", type=click.Choice(SCHEMES), default="acs3")
@click.option("--count", default=3000, show_default=True, help="Requests to time.")
@click.option("--database", "database_url", default=None, help="Default: a fresh SQLite file.")
@click.option("--no-profile", is_flag=True, help="Time only (the profiler adds overhead).")
@click.option("--html", type=click.Path(dir_okay=False), default=None, help="Also write HTML.")
def main(
    scenario: str,
    scheme: str,
    count: int,
    database_url: str | None,
    no_profile: bool,
    html: str | None,
) -> None:
    """Time and profile the pipeline on one scenario's requests."""
    database_url = database_url or f"sqlite:///{tempfile.mkdtemp()}/profile.db"
    store = Store(make_engine(database_url))
    app = create_app(Settings(database_url=database_url), store=store)
    warm, timed = (
        _requests(database_url, scenario, 200, scheme),
        _requests(database_url, scenario, count, scheme),
    )
    for raw in warm:
        app.pipeline.handle(raw)
    profiler = None
    if not no_profile:
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.0002)
        profiler.start()
    latencies, cpu, failures = _time_calls(app.pipeline.handle, timed)
    if profiler is not None:
        profiler.stop()
        click.echo(profiler.output_text(unicode=True, color=False, show_all=False))
        if html:
            Path(html).write_text(profiler.output_html())
    _report(scenario, scheme, latencies, cpu, failures)
    store.dispose()


def _time_calls(
    handle: Callable[[RawRequest], WireResponse], timed: list[RawRequest]
) -> tuple[list[float], float, int]:
    """Wall time of each call (sorted), CPU seconds of them all, and how many were not 200."""
    latencies, failures = [], 0
    cpu_started = time.process_time()
    for raw in timed:
        started = time.perf_counter()
        response = handle(raw)
        latencies.append(time.perf_counter() - started)
        failures += response.status != 200
    return sorted(latencies), time.process_time() - cpu_started, failures


def _report(scenario: str, scheme: str, latencies: list[float], cpu: float, failures: int) -> None:
    mean = sum(latencies) / len(latencies) * 1e6
    p50, p99 = percentile(latencies, 0.5) * 1e6, percentile(latencies, 0.99) * 1e6
    click.echo(
        f"{scenario} ({scheme}): {len(latencies)} calls, {failures} not 200; pipeline time per "
        f"call: mean {mean:.0f} us, p50 {p50:.0f} us, p99 {p99:.0f} us; "
        f"CPU {cpu / len(latencies) * 1e6:.0f} us"
    )


if __name__ == "__main__":
    main()
