"""The benchmark driver: servers as subprocesses on free ports, pre-signed load, one table.

    .venv/bin/python bench/run.py --all          # everything, ~10 minutes, updates the docs
    .venv/bin/python bench/run.py --quick        # a short smoke run of every part
    .venv/bin/python bench/run.py --scenario write --workers 2 --backend sqlite --stack granian

The 1,000,000-image rows need the data set first: ``bench/dataset.py --backend sqlite``.
"""

from __future__ import annotations

import itertools
import os
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import click
from rich.console import Console
from rich.table import Table

from bench import dataset, report, targets
from bench.measure import (
    Budget,
    ImageshareConfig,
    Row,
    bare_row,
    database,
    imageshare_rows,
    moto_rows,
)
from bench.presign import SCHEMES
from bench.scenarios import SCENARIOS
from bench.servers import STACKS

DEFAULT_PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
BACKENDS = ("sqlite", "postgres")
DATASETS = ("empty", "1m")
FULL = Budget(count=40_000, duration=4.0, concurrency=16, warmup_count=1500, warmup_duration=0.7)
QUICK = Budget(count=1_500, duration=1.5, concurrency=8, warmup_count=200, warmup_duration=0.5)
# moto answers a few hundred requests a second: pre-signing more would only cost time.
MOTO_MAX_COUNT = 5_000


@dataclass(frozen=True)
class Plan:
    scenarios: tuple[str, ...]
    workers: tuple[int, ...]
    backends: tuple[str, ...]
    stacks: tuple[str, ...]
    schemes: tuple[str, ...]
    datasets: tuple[str, ...]
    peers: bool
    # The RPC v1 rows of --all: both schemes, without doubling every row.
    rpc_extra: bool = False


ALL = Plan(
    scenarios=tuple(SCENARIOS),
    workers=(1, 2),
    backends=BACKENDS,
    stacks=STACKS,
    schemes=("acs3",),
    datasets=DATASETS,
    peers=True,
    rpc_extra=True,
)


def _server_groups(plan: Plan) -> list[tuple[str, str, str, int, list[tuple[str, str]]]]:
    """(stack, backend, dataset, workers, [(scenario, scheme)]) for each server to start."""
    groups = []
    for stack, backend, data, workers in itertools.product(
        plan.stacks, plan.backends, plan.datasets, plan.workers
    ):
        if data == "1m" and workers != max(plan.workers):
            continue  # cost growth is measured at the highest worker count only
        runs = list(itertools.product(plan.scenarios, plan.schemes))
        if plan.rpc_extra and data == "empty" and backend == "sqlite" and workers == 2:
            runs += [("write", "rpc"), ("read", "rpc")]
        groups.append((stack, backend, data, workers, runs))
    return groups


def _imageshare(plan: Plan, budget: Budget, pg_url: str, logs: Path) -> list[Row]:
    rows: list[Row] = []
    for stack, backend, data, workers, runs in _server_groups(plan):
        dataset_url = dataset.existing_url(backend, pg_url) if data == "1m" else None
        if data == "1m" and dataset_url is None:
            click.echo(f"skipped: no 1M data set for {backend} (run bench/dataset.py first)")
            continue
        with database(backend, pg_url, dataset_url) as url:
            config = ImageshareConfig(stack, backend, data, workers, url)
            rows += imageshare_rows(config, runs, budget, logs)
        click.echo(f"done: imageshare {stack} {backend} {data} {workers} worker(s)")
    return rows


def _peers(plan: Plan, budget: Budget, logs: Path) -> list[Row]:
    rows = [bare_row(s, w, budget, logs) for s in plan.stacks for w in plan.workers]
    moto_budget = Budget(
        min(budget.count, MOTO_MAX_COUNT),
        budget.duration,
        budget.concurrency,
        min(budget.warmup_count, 200),
        budget.warmup_duration,
    )
    return rows + moto_rows(moto_budget, logs)


def print_rows(rows: list[Row], checks: list[list[str]]) -> None:
    table = Table(*report.HEADERS, title="imageshare benchmarks")
    for row in rows:
        table.add_row(*report.row_cells(row))
    console = Console()
    console.print(table)
    verdicts = Table("stack", "target", "measured", "verdict", title="targets")
    for line in checks:
        verdicts.add_row(*line)
    console.print(verdicts)


def write_docs(rows: list[Row], checks: list[list[str]], command: str, seconds: float) -> None:
    machine = f"{os.cpu_count()} CPUs, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}"
    results = report.markdown_table(report.HEADERS, (report.row_cells(r) for r in rows))
    header = f"`{command}` ({machine}; the run took {seconds / 60:.1f} min)\n\n"
    report.write_section("results", header + results)
    report.write_section(
        "targets", report.markdown_table(("stack", "target", "measured", "verdict"), checks)
    )
    comparison = report.markdown_table(
        ("stack", "scenario", "imageshare / moto", "imageshare / bare ASGI"),
        report.comparisons(rows),
    )
    stacks = report.markdown_table(("row", "workers", "granian / uvicorn"), report.stacks(rows))
    growth = report.markdown_table(
        ("db", "scenario", "p50 empty ms", "p50 1M ms", "ratio", "RSS empty MB", "RSS 1M MB"),
        report.growth(rows),
    )
    report.write_section("ratios", comparison + "\n\n" + stacks + "\n\n" + growth)


def _choice(values: tuple[str, ...]) -> click.Choice[str]:
    return click.Choice(values)


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--all", "run_all", is_flag=True, help="The full matrix; updates the docs.")
@click.option("--quick", is_flag=True, help="A short smoke run: SQLite, 2 workers, uvicorn.")
@click.option("--scenario", "scenarios", multiple=True, type=_choice(tuple(SCENARIOS)))
@click.option("--workers", multiple=True, type=click.IntRange(1, 8))
@click.option("--backend", "backends", multiple=True, type=_choice(BACKENDS))
@click.option("--stack", "stacks", multiple=True, type=_choice(STACKS))
@click.option("--scheme", "schemes", multiple=True, type=_choice(SCHEMES))
@click.option("--dataset", "datasets", multiple=True, type=_choice(DATASETS))
@click.option("--peers/--no-peers", default=None, help="Also moto and the bare ASGI app.")
@click.option("--sdk/--no-sdk", default=None, help="Also the official-SDK round trip.")
@click.option("--count", type=int, default=None, help="Requests per row (upper bound).")
@click.option("--duration", type=float, default=None, help="Seconds per row (upper bound).")
@click.option("--concurrency", type=int, default=None, help="Keep-alive connections.")
@click.option("--pg-url", default=os.environ.get("IMAGESHARE_TEST_PG_URL", DEFAULT_PG_URL))
@click.option("--write-docs/--no-write-docs", default=None, help="Default: only with --all.")
def main(run_all: bool, quick: bool, **options: object) -> None:
    """Measure imageshare, its peer (moto) and its ceiling (a bare ASGI app) side by side.

    Without --all, each option defaults to: every scenario, 1 and 2 workers, SQLite, both
    stacks, ACS3 signatures, the empty database, with peers. Rows are printed as they finish.
    """
    plan, budget = _plan(run_all, quick, options)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="imageshare-bench-logs-") as tmp:
        logs = Path(tmp)
        rows = _peers(plan, budget, logs) if plan.peers else []
        rows += _imageshare(plan, budget, str(options["pg_url"]), logs)
    checks = targets.check(rows)
    print_rows(rows, checks)
    write = options["write_docs"] if options["write_docs"] is not None else run_all
    if write:
        write_docs(
            rows, checks, "bench/run.py " + " ".join(sys.argv[1:]), time.monotonic() - started
        )
        click.echo(f"figures written to {report.DOC}")
    sdk = options["sdk"] if options["sdk"] is not None else run_all or quick
    if sdk:
        from bench import sdk_roundtrip

        sdk_roundtrip.run_and_report(calls=50 if quick else 400, write_docs=bool(write))


def _plan(run_all: bool, quick: bool, options: dict[str, object]) -> tuple[Plan, Budget]:
    def pick(name: str, default: tuple[object, ...]) -> tuple[object, ...]:
        given = options[name]
        return tuple(given) if given else default  # type: ignore[call-overload]

    base = (
        ALL
        if run_all
        else Plan(tuple(SCENARIOS), (1, 2), ("sqlite",), STACKS, ("acs3",), ("empty",), True)
    )
    if quick:
        base = Plan(tuple(SCENARIOS), (2,), ("sqlite",), ("uvicorn",), ("acs3",), ("empty",), True)
    plan = Plan(
        scenarios=pick("scenarios", base.scenarios),  # type: ignore[arg-type]
        workers=pick("workers", base.workers),  # type: ignore[arg-type]
        backends=pick("backends", base.backends),  # type: ignore[arg-type]
        stacks=pick("stacks", base.stacks),  # type: ignore[arg-type]
        schemes=pick("schemes", base.schemes),  # type: ignore[arg-type]
        datasets=pick("datasets", base.datasets),  # type: ignore[arg-type]
        peers=base.peers if options["peers"] is None else bool(options["peers"]),
        rpc_extra=base.rpc_extra,
    )
    defaults = QUICK if quick else FULL
    budget = Budget(
        count=int(options["count"] or defaults.count),  # type: ignore[call-overload]
        duration=float(options["duration"] or defaults.duration),  # type: ignore[arg-type]
        concurrency=int(options["concurrency"] or defaults.concurrency),  # type: ignore[call-overload]
        warmup_count=defaults.warmup_count,
        warmup_duration=defaults.warmup_duration,
    )
    return plan, budget


if __name__ == "__main__":
    main()
