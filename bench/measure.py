"""One measured row: start a server, warm it up, run one scenario's lanes, record the figures.

Each server runs for a group of scenarios (its start-up is not measured); before every
measured window a short warm-up with its own requests fills pools and caches.
"""

from __future__ import annotations

import contextlib
import dataclasses
import itertools
import tempfile
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, text

from bench import actors as bench_actors
from bench import revisions, servers
from bench.loadgen import Lane, LoadResult, run
from bench.presign import ApiCall, Credentials, signed_request
from bench.scenarios import SCENARIOS, build_lanes


@dataclass(frozen=True)
class Budget:
    """How much load one row gets: bounded by count and by time."""

    count: int
    duration: float
    concurrency: int
    warmup_count: int
    warmup_duration: float


@dataclass(frozen=True)
class Sample:
    """What one measured window found."""

    result: LoadResult
    rss_bytes: int
    connections: tuple[int, ...]
    server_cpu: float = 0.0  # CPU seconds of the server's processes in the timed window


# target, stack, backend, dataset, workers, scenario, scheme
RowKey = tuple[str, str, str, str, int, str, str]


@dataclass(frozen=True)
class Row:
    target: str  # "imageshare", "imageshare@<revision>", "bare-asgi" or "moto"
    stack: str
    backend: str
    dataset: str
    workers: int
    scenario: str
    scheme: str
    result: LoadResult
    rss_bytes: int
    # Client connections each server worker held during the row, busiest first.
    connections: tuple[int, ...] = ()
    # Throughput of every repetition of this row, when it was measured more than once.
    rounds: tuple[float, ...] = ()
    server_cpu: float = 0.0

    @property
    def server_us_per_request(self) -> float:
        """CPU the server's processes spent per answer: on a shared two-core machine, a
        steadier figure than throughput for comparing two versions side by side."""
        completed = self.result.completed
        return self.server_cpu / completed * 1e6 if completed else 0.0

    @property
    def rss_mb(self) -> float:
        return self.rss_bytes / 2**20

    @classmethod
    def of(cls, key: RowKey, sample: Sample) -> Row:
        return cls(
            *key, sample.result, sample.rss_bytes, sample.connections, server_cpu=sample.server_cpu
        )

    @property
    def key(self) -> RowKey:
        return (
            self.target,
            self.stack,
            self.backend,
            self.dataset,
            self.workers,
            self.scenario,
            self.scheme,
        )


def median_rows(rounds: Sequence[Sequence[Row]]) -> list[Row]:
    """One row per configuration: the round with the median throughput, with every round's
    throughput kept, so noise on a shared machine shows as a range instead of a figure."""
    by_key: dict[RowKey, list[Row]] = {}
    for row in itertools.chain.from_iterable(rounds):
        by_key.setdefault(row.key, []).append(row)
    found = []
    for same in by_key.values():
        ordered = sorted(same, key=lambda r: r.result.throughput)
        middle = ordered[(len(ordered) - 1) // 2]
        throughputs = tuple(r.result.throughput for r in same)
        found.append(dataclasses.replace(middle, rounds=throughputs if len(same) > 1 else ()))
    return found


LaneMaker = Callable[[int], list[Lane]]


def measure(running: servers.Running, make_lanes: LaneMaker, budget: Budget) -> Sample:
    """Warm up, then run fresh requests for ``budget.duration`` (at most ``budget.count``).

    Only about twice what the warm-up rate can answer in the window is signed beforehand:
    signing all of ``budget.count`` for a slow target would cost more time than measuring.
    When those run out first, the row is simply bounded by count instead of time.
    """
    port = running.port
    warm = run(servers.HOST, port, make_lanes(budget.warmup_count), budget.warmup_duration)
    enough = int(warm.throughput * budget.duration * 2)
    count = min(budget.count, max(enough, budget.concurrency * 4))
    spread: list[int] = []
    cpu_at_start: list[float] = []

    def look() -> None:
        spread.extend(servers.connections_per_worker(running.pid, port))
        cpu_at_start.append(servers.tree_cpu_seconds(running.pid))

    result = run(servers.HOST, port, make_lanes(count), budget.duration, on_ready=look)
    server_cpu = servers.tree_cpu_seconds(running.pid) - cpu_at_start[0]
    return Sample(result, servers.worker_rss(running.pid), tuple(spread), server_cpu)


@contextlib.contextmanager
def database(backend: str, pg_url: str, dataset_url: str | None) -> Iterator[str]:
    """The dataset's URL when given, else a fresh empty database removed afterwards."""
    if dataset_url is not None:
        yield dataset_url
        return
    if backend == "sqlite":
        with tempfile.TemporaryDirectory(prefix="imageshare-bench-") as tmp:
            yield f"sqlite:///{tmp}/bench.db"
        return
    schema = "imageshare_bench_" + uuid.uuid4().hex[:10]
    admin = create_engine(pg_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield f"{pg_url}?options=-csearch_path%3D{schema}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@dataclass(frozen=True)
class Version:
    """What a row serves: this checkout or another revision's (bench/revisions.py), with the
    audit trail recording or switched off (IMAGESHARE_AUDIT_TRAIL=off)."""

    # (revision, its checkout), or None for this checkout.
    revision: tuple[str, Path] | None = None
    trail: bool = True

    @property
    def target(self) -> str:
        name = "imageshare" if self.revision is None else f"imageshare@{self.revision[0]}"
        return name if self.trail else f"{name} (trail off)"


@dataclass(frozen=True)
class ImageshareConfig:
    stack: str
    backend: str
    dataset: str
    workers: int
    url: str
    version: Version = Version()

    @property
    def target(self) -> str:
        return self.version.target

    def command(self, port: int) -> list[str]:
        return servers.imageshare_command(
            self.stack, self.workers, port, self.url, older=self.version.revision is not None
        )

    def server_env(self) -> dict[str, str]:
        env = {"IMAGESHARE_DATABASE_URL": self.url}
        if self.version.revision is not None:
            checkout = self.version.revision[1]
            env["PYTHONPATH"] = revisions.python_path(checkout, servers.BENCH_DIR)
        if not self.version.trail:
            env["IMAGESHARE_AUDIT_TRAIL"] = "off"
        return env


def imageshare_rows(
    config: ImageshareConfig, runs: list[tuple[str, str]], budget: Budget, log_dir: Path
) -> list[Row]:
    """Serve imageshare on ``config`` and measure each (scenario, scheme) in ``runs``."""
    actors = bench_actors.prepare(config.url, lanes=budget.concurrency)
    port = servers.free_port()
    command = config.command(port)
    name = f"{config.target}-{config.stack}-{config.backend}-{config.workers}".replace("/", "_")
    rows = []
    with servers.serving(command, port, log_dir / f"{name}.log", config.server_env()) as running:
        for scenario, scheme in runs:

            def lanes(count: int, scenario: str = scenario, scheme: str = scheme) -> list[Lane]:
                return build_lanes(
                    SCENARIOS[scenario],
                    actors,
                    running.host_header,
                    lanes=budget.concurrency,
                    count=count,
                    scheme=scheme,
                )

            key = (config.target, config.stack, config.backend, config.dataset, config.workers)
            rows.append(Row.of((*key, scenario, scheme), measure(running, lanes, budget)))
    return rows


# A request of the size and shape the read scenario sends; the bare app ignores it.
_BARE_CALL = ApiCall(
    "ListCustomImageShareAccounts",
    "2020-06-01",
    (("ImageId", "m-" + "0" * 20), ("RegionId", "cn-hangzhou")),
)


def bare_row(stack: str, workers: int, budget: Budget, log_dir: Path) -> Row:
    """The ceiling: the bare ASGI app on ``stack`` answering the read scenario's request."""
    port = servers.free_port()
    command = servers.bare_command(stack, workers, port)
    with servers.serving(command, port, log_dir / f"bare-{stack}-{workers}.log") as running:
        credentials = Credentials("LTAI0", "secret")
        message = signed_request("acs3", running.host_header, credentials, _BARE_CALL)

        def lanes(count: int) -> list[Lane]:
            per_lane = max(1, -(-count // budget.concurrency))
            return [[message] * per_lane for _ in range(budget.concurrency)]

        sample = measure(running, lanes, budget)
    return Row.of(("bare-asgi", stack, "-", "-", workers, "fixed JSON", "-"), sample)


def moto_rows(budget: Budget, log_dir: Path) -> list[Row]:
    """The peer: moto_server, EC2 launch permissions (write) and their listing (read)."""
    # boto3 and moto come with the bench extra (`pip install -e '.[bench]'`), not the tests'.
    from bench import moto_peer

    port = servers.free_port()
    rows = []
    with servers.serving(servers.moto_command(port), port, log_dir / "moto.log") as running:
        world = moto_peer.register_images(running.host_header, budget.concurrency)
        for scenario in ("write", "read"):

            def lanes(count: int, scenario: str = scenario) -> list[Lane]:
                return moto_peer.build_lanes(world, scenario, lanes=budget.concurrency, count=count)

            key = ("moto", "werkzeug", "memory", "-", 1, scenario, "sigv4")
            rows.append(Row.of(key, measure(running, lanes, budget)))
    return rows
