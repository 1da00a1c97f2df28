"""How much of an official-SDK call is imageshare's: one client, one call at a time.

The same ``alibabacloud-swas-open20200601`` calls go to imageshare (uvicorn, 1 worker, SQLite,
as a test suite would run it) and to a stub that answers at once (the bare ASGI app on the
same stack). The stub's time is the SDK's own client-side time plus a minimal server; the
difference is imageshare's share. imageshare's ``/metrics`` histogram gives the time inside
its pipeline directly, as a cross-check.

    .venv/bin/python bench/sdk_roundtrip.py --calls 400
"""

from __future__ import annotations

import re
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import click
from alibabacloud_swas_open20200601 import models
from alibabacloud_swas_open20200601.client import Client
from alibabacloud_tea_openapi.models import Config

from bench import actors as bench_actors
from bench import report, servers
from bench.loadgen import percentile

SdkCall = Callable[[Client, bench_actors.Actors, int], object]


def _list_shares(client: Client, actors: bench_actors.Actors, _step: int) -> object:
    request = models.ListCustomImageShareAccountsRequest(
        region_id=bench_actors.REGION, image_id=actors.listed_image
    )
    return client.list_custom_image_share_accounts(request)


def _share_or_unshare(client: Client, actors: bench_actors.Actors, step: int) -> object:
    kind = (
        models.AddCustomImageShareAccountRequest
        if step % 2 == 0
        else models.RemoveCustomImageShareAccountRequest
    )
    request = kind(
        region_id=bench_actors.REGION,
        image_id=actors.write_images[0],
        account=[actors.target.account_id],
    )
    if step % 2 == 0:
        return client.add_custom_image_share_account(request)
    return client.remove_custom_image_share_account(request)


CALLS: dict[str, SdkCall] = {
    "ListCustomImageShareAccounts": _list_shares,
    "Add/RemoveCustomImageShareAccount": _share_or_unshare,
}


@dataclass(frozen=True)
class Timing:
    mean_ms: float
    p50_ms: float


def _timed(call: Callable[[], object]) -> float:
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


def _summary(latencies: list[float]) -> Timing:
    latencies.sort()
    return Timing(sum(latencies) / len(latencies) * 1000, percentile(latencies, 0.5) * 1000)


def _alternate(
    clients: tuple[Client, Client], actors: bench_actors.Actors, call: SdkCall, calls: int
) -> tuple[Timing, Timing]:
    """Time ``call`` on both clients in turn, so a busy moment costs both sides alike."""
    mine, stub = clients
    mine_times, stub_times = [], []
    for step in range(calls):
        mine_times.append(_timed(lambda: call(mine, actors, step)))  # noqa: B023
        stub_times.append(_timed(lambda: call(stub, actors, step)))  # noqa: B023
    return _summary(mine_times), _summary(stub_times)


def _client(endpoint: str, who: bench_actors.Actor) -> Client:
    config = Config(
        access_key_id=who.key_id,
        access_key_secret=who.secret,
        endpoint=endpoint,
        protocol="http",
        region_id=bench_actors.REGION,
    )
    return Client(config)


def _pipeline_seconds(endpoint: str) -> tuple[float, float]:
    """(sum, count) of imageshare's own request-time histograms, over every action."""
    with urllib.request.urlopen(f"http://{endpoint}/metrics", timeout=10) as reply:
        text = reply.read().decode()

    def added(name: str) -> float:
        found = re.findall(rf"^{name}(?:{{[^}}]*}})? (\S+)$", text, re.MULTILINE)
        return sum(float(value) for value in found)

    return added("imageshare_request_seconds_sum"), added("imageshare_request_seconds_count")


@dataclass(frozen=True)
class Measured:
    call: str
    stub: Timing
    imageshare: Timing
    pipeline_ms: float  # imageshare's own time per call, from its /metrics

    @property
    def server_share_ms(self) -> float:
        return self.imageshare.mean_ms - self.stub.mean_ms

    @property
    def share_of_client(self) -> float:
        """imageshare's time per call over the SDK's own (the stub round trip)."""
        return self.server_share_ms / self.stub.mean_ms if self.stub.mean_ms else 0.0


def measure(calls: int) -> list[Measured]:
    """Both servers run at once; each call is timed against each of them in turn."""
    with tempfile.TemporaryDirectory(prefix="imageshare-sdk-") as tmp:
        logs = Path(tmp)
        url = f"sqlite:///{logs}/sdk.db"
        actors = bench_actors.prepare(url, lanes=1)
        mine_port, stub_port = servers.free_port(), servers.free_port()
        mine_command = servers.imageshare_command("uvicorn", 1, mine_port, url)
        stub_command = servers.bare_command("uvicorn", 1, stub_port)
        with (
            servers.serving(mine_command, mine_port, logs / "imageshare.log") as mine,
            servers.serving(stub_command, stub_port, logs / "stub.log") as stub,
        ):
            clients = (
                _client(mine.host_header, actors.writer),
                _client(stub.host_header, actors.writer),
            )
            return [
                _measure_call(name, call, clients, actors, calls, mine.host_header)
                for name, call in CALLS.items()
            ]


def _measure_call(
    name: str,
    call: SdkCall,
    clients: tuple[Client, Client],
    actors: bench_actors.Actors,
    calls: int,
    endpoint: str,
) -> Measured:
    for step in range(50):  # warm-up: connections, caches; not in the figures
        for client in clients:
            call(client, actors, step)
    before = _pipeline_seconds(endpoint)
    mine, stub = _alternate(clients, actors, call, calls)
    after = _pipeline_seconds(endpoint)
    pipeline_ms = (after[0] - before[0]) / max(after[1] - before[1], 1) * 1000
    return Measured(name, stub, mine, pipeline_ms)


def table(found: list[Measured]) -> tuple[tuple[str, ...], list[list[str]]]:
    headers = (
        "call (c=1)",
        "SDK vs stub ms",
        "SDK vs imageshare ms",
        "imageshare's share ms",
        "pipeline ms (/metrics)",
        "share / SDK's own time",
    )
    rows = [
        [
            m.call,
            f"{m.stub.mean_ms:.3f}",
            f"{m.imageshare.mean_ms:.3f}",
            f"{m.server_share_ms:.3f}",
            f"{m.pipeline_ms:.3f}",
            f"{m.share_of_client:.2f} ({'met' if m.share_of_client < 0.5 else 'NOT met'}: < 0.5)",
        ]
        for m in found
    ]
    return headers, rows


def run_and_report(calls: int, write_docs: bool) -> None:
    headers, rows = table(measure(calls))
    click.echo(report.markdown_table(headers, rows))
    if write_docs:
        command = f"`bench/sdk_roundtrip.py --calls {calls}` (means over {calls} calls each)"
        report.write_section("sdk", command + "\n\n" + report.markdown_table(headers, rows))


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--calls", default=400, show_default=True, help="Timed calls per case.")
@click.option("--write-docs/--no-write-docs", default=True, show_default=True)
def main(calls: int, write_docs: bool) -> None:
    """Time official-SDK calls against imageshare and against a stub that answers at once."""
    run_and_report(calls, write_docs)


if __name__ == "__main__":
    main()
