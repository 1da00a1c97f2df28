"""The benchmark driver: servers as subprocesses on free ports, pre-signed load, one table.

    .venv/bin/python bench/run.py --all          # everything, ~10 minutes, updates the docs
    .venv/bin/python bench/run.py --quick        # a short smoke run of every part
    .venv/bin/python bench/run.py --scenario write --workers 2 --backend sqlite --stack granian
    .venv/bin/python bench/run.py --scenario read --workers 2 --target imageshare --against HEAD~1

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
    Version,
    bare_row,
    database,
    imageshare_rows,
    median_rows,
    moto_rows,
)
from bench.presign import SCHEMES
from bench.revisions import checked_out
from bench.scenarios import SCENARIOS
from bench.servers import STACKS

DEFAULT_PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
BACKENDS = ("sqlite", "postgres")
DATASETS = ("empty", "1m")
TARGETS = ("imageshare", "bare", "moto")
FULL = Budget(count=40_000, duration=4.0, concurrency=16, warmup_count=1500, warmup_duration=0.7)
QUICK = Budget(count=1_500, duration=1.5, concurrency=8, warmup_count=200, warmup_duration=0.5)


@dataclass(frozen=True)
class Plan:
    scenarios: tuple[str, ...]
    workers: tuple[int, ...]
    backends: tuple[str, ...]
    stacks: tuple[str, ...]
    schemes: tuple[str, ...]
    datasets: tuple[str, ...]
    targets: tuple[str, ...]  # of TARGETS
    # The RPC v1 rows of --all: both schemes, without doubling every row.
    rpc_extra: bool = False


DEFAULT_PLAN = Plan(tuple(SCENARIOS), (1, 2), ("sqlite",), STACKS, ("acs3",), ("empty",), TARGETS)
QUICK_PLAN = Plan(tuple(SCENARIOS), (2,), ("sqlite",), ("uvicorn",), ("acs3",), ("empty",), TARGETS)
ALL = Plan(
    scenarios=tuple(SCENARIOS),
    workers=(1, 2),
    backends=BACKENDS,
    stacks=STACKS,
    schemes=("acs3",),
    datasets=DATASETS,
    targets=TARGETS,
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


def _imageshare(
    plan: Plan, budget: Budget, pg_url: str, logs: Path, versions: list[Version]
) -> list[Row]:
    """Every server group, each version in turn (alternating within minutes), each version
    on a fresh database of its own (the 1M data set is shared: it is only read)."""
    rows: list[Row] = []
    for stack, backend, data, workers, runs in _server_groups(plan):
        dataset_url = dataset.existing_url(backend, pg_url) if data == "1m" else None
        if data == "1m" and dataset_url is None:
            click.echo(f"skipped: no 1M data set for {backend} (run bench/dataset.py first)")
            continue
        for version in versions:
            with database(backend, pg_url, dataset_url) as url:
                config = ImageshareConfig(stack, backend, data, workers, url, version)
                rows += imageshare_rows(config, runs, budget, logs)
            click.echo(f"done: {config.target} {stack} {backend} {data} {workers} worker(s)")
    return rows


def _peers(plan: Plan, budget: Budget, logs: Path) -> list[Row]:
    rows = []
    if "bare" in plan.targets:
        rows += [bare_row(s, w, budget, logs) for s in plan.stacks for w in plan.workers]
    if "moto" in plan.targets:
        rows += moto_rows(budget, logs)
    return rows


def print_rows(rows: list[Row], checks: list[list[str]]) -> None:
    table = Table(*report.HEADERS, title="imageshare benchmarks")
    # The whole target, never cut short: "imageshare@<revision>" rows must tell apart.
    table.columns[0].min_width = max((len(row.target) for row in rows), default=0)
    for row in rows:
        table.add_row(*report.row_cells(row))
    # Wide enough for every column, server CPU (the last) included, even with long targets.
    console = Console(width=max(Console().width, 230))
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
        (
            "stack",
            "db",
            "scenario",
            "p50 empty ms",
            "p50 1M ms",
            "ratio",
            "RSS empty MB",
            "RSS 1M MB",
        ),
        report.growth(rows),
    )
    report.write_section("ratios", comparison + "\n\n" + stacks + "\n\n" + growth)


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--all", "run_all", is_flag=True, help="The full matrix; updates the docs.")
@click.option("--quick", is_flag=True, help="A short smoke run: SQLite, 2 workers, uvicorn.")
@click.option("--scenario", "scenarios", multiple=True, type=click.Choice(tuple(SCENARIOS)))
@click.option("--workers", multiple=True, type=click.IntRange(1, 8))
@click.option("--backend", "backends", multiple=True, type=click.Choice(BACKENDS))
@click.option("--stack", "stacks", multiple=True, type=click.Choice(STACKS))
@click.option("--scheme", "schemes", multiple=True, type=click.Choice(SCHEMES))
@click.option("--dataset", "datasets", multiple=True, type=click.Choice(DATASETS))
@click.option(
    "--target",
    "targets",
    multiple=True,
    type=click.Choice(TARGETS),
    help="imageshare, the bare ASGI app (ceiling), moto (peer).",
)
@click.option("--sdk/--no-sdk", default=None, help="Also the official-SDK round trip.")
@click.option("--count", type=click.IntRange(1), default=None, help="Requests per row (cap).")
@click.option("--duration", type=float, default=None, help="Seconds per row (cap).")
@click.option("--concurrency", type=click.IntRange(1, 256), default=None, help="Connections.")
@click.option("--pg-url", default=os.environ.get("IMAGESHARE_TEST_PG_URL", DEFAULT_PG_URL))
@click.option(
    "--repeat",
    type=click.IntRange(1, 9),
    default=1,
    show_default=True,
    help="Measure everything this many times, in rounds; report each row's median round.",
)
@click.option("--write-docs/--no-write-docs", default=None, help="Default: only with --all.")
@click.option(
    "--against",
    "revisions",
    multiple=True,
    metavar="REV",
    help="Also serve this git revision, alternating with this checkout row by row "
    "(rows 'imageshare@REV'; it is served on this checkout's schema).",
)
@click.option(
    "--without-trail",
    is_flag=True,
    help="Also serve this checkout with the audit trail off (IMAGESHARE_AUDIT_TRAIL=off), "
    "alternating row by row (rows 'imageshare (trail off)').",
)
def main(
    run_all: bool,
    quick: bool,
    scenarios: tuple[str, ...],
    workers: tuple[int, ...],
    backends: tuple[str, ...],
    stacks: tuple[str, ...],
    schemes: tuple[str, ...],
    datasets: tuple[str, ...],
    targets: tuple[str, ...],
    sdk: bool | None,
    count: int | None,
    duration: float | None,
    concurrency: int | None,
    pg_url: str,
    write_docs: bool | None,
    repeat: int,
    revisions: tuple[str, ...],
    without_trail: bool,
) -> None:
    """Measure imageshare, its peer (moto) and its ceiling (a bare ASGI app) side by side.

    Without --all or --quick, options left out default to: every scenario, 1 and 2 workers,
    SQLite, both stacks, ACS3 signatures, the empty database, every target, without the SDK
    round trip.
    """
    base = ALL if run_all else QUICK_PLAN if quick else DEFAULT_PLAN
    plan = Plan(
        scenarios=scenarios or base.scenarios,
        workers=workers or base.workers,
        backends=backends or base.backends,
        stacks=stacks or base.stacks,
        schemes=schemes or base.schemes,
        datasets=datasets or base.datasets,
        targets=targets or base.targets,
        rpc_extra=base.rpc_extra,
    )
    defaults = QUICK if quick else FULL
    budget = Budget(
        count=count or defaults.count,
        duration=duration or defaults.duration,
        concurrency=concurrency or defaults.concurrency,
        warmup_count=defaults.warmup_count,
        warmup_duration=defaults.warmup_duration,
    )
    write = run_all if write_docs is None else write_docs
    if (revisions or without_trail) and write:
        raise click.UsageError("--against compares versions; it does not write the docs")
    with (
        tempfile.TemporaryDirectory(prefix="imageshare-bench-revisions-") as scratch,
        checked_out(revisions, Path(scratch)) as checkouts,
    ):
        versions = [Version(), *(Version(found) for found in checkouts.items())]
        if without_trail:
            versions.append(Version(trail=False))
        _execute(plan, budget, pg_url, write, repeat, versions)
    if (run_all or quick) if sdk is None else sdk:
        from bench import sdk_roundtrip

        sdk_roundtrip.run_and_report(calls=50 if quick else 400, write_docs=write)


def _execute(
    plan: Plan, budget: Budget, pg_url: str, write: bool, repeat: int, versions: list[Version]
) -> None:
    started = time.monotonic()
    rounds = []
    with tempfile.TemporaryDirectory(prefix="imageshare-bench-logs-") as tmp:
        logs = Path(tmp)
        for round_number in range(1, repeat + 1):
            if repeat > 1:
                click.echo(f"round {round_number} of {repeat}")
            found = _peers(plan, budget, logs)
            if "imageshare" in plan.targets:
                found += _imageshare(plan, budget, pg_url, logs, versions)
            rounds.append(found)
    rows = median_rows(rounds)
    checks = targets.check(rows)
    print_rows(rows, checks)
    if write:
        command = "bench/run.py " + " ".join(sys.argv[1:])
        write_docs(rows, checks, command, time.monotonic() - started)
        click.echo(f"figures written to {report.DOC}")


if __name__ == "__main__":
    main()
