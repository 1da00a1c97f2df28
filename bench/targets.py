"""The issue's targets, checked against one run's rows (SQLite, 2 workers, per stack)."""

from __future__ import annotations

from collections.abc import Sequence

from bench.measure import Row

WRITE_RPS = 5000
WRITE_P99_MS = 15.0
MOTO_FACTOR = 25
READ_RPS = 8000
GROWTH_P50_FACTOR = 1.5
READ_SCENARIOS = ("read", "list-images", "ecs-images")


def _pick(rows: Sequence[Row], stack: str, scenario: str, dataset: str = "empty") -> Row | None:
    for row in rows:
        if (
            row.target == "imageshare"
            and row.stack == stack
            and row.backend == "sqlite"
            and row.dataset == dataset
            and row.workers == 2
            and row.scenario == scenario
            and row.scheme == "acs3"
        ):
            return row
    return None


def _verdict(met: bool) -> str:
    return "met" if met else "NOT met"


def _write_targets(rows: Sequence[Row], stack: str) -> list[list[str]]:
    write = _pick(rows, stack, "write")
    moto = next((r for r in rows if r.target == "moto" and r.scenario == "write"), None)
    if write is None:
        return []
    rps, p99 = write.result.throughput, write.result.p99_ms
    lines = [
        [stack, f"write >= {WRITE_RPS:,} req/s", f"{rps:,.0f}", _verdict(rps >= WRITE_RPS)],
        [stack, f"write p99 < {WRITE_P99_MS:g} ms", f"{p99:.2f}", _verdict(p99 < WRITE_P99_MS)],
    ]
    if moto is not None and moto.result.throughput:
        factor = rps / moto.result.throughput
        lines.append(
            [stack, f"write >= {MOTO_FACTOR} x moto", f"{factor:.1f}", _verdict(factor >= 25)]
        )
    return lines


def _read_targets(rows: Sequence[Row], stack: str) -> list[list[str]]:
    lines = []
    for scenario in READ_SCENARIOS:
        row = _pick(rows, stack, scenario)
        if row is not None:
            rps = row.result.throughput
            goal = f"{scenario} >= {READ_RPS:,} req/s"
            lines.append([stack, goal, f"{rps:,.0f}", _verdict(rps >= READ_RPS)])
    return lines


def _growth_targets(rows: Sequence[Row], stack: str) -> list[list[str]]:
    lines = []
    for scenario in ("write", *READ_SCENARIOS):
        empty, big = _pick(rows, stack, scenario), _pick(rows, stack, scenario, "1m")
        if empty is None or big is None or not empty.result.p50_ms:
            continue
        factor = big.result.p50_ms / empty.result.p50_ms
        goal = f"{scenario} p50 at 1M <= {GROWTH_P50_FACTOR} x empty"
        lines.append([stack, goal, f"{factor:.2f}", _verdict(factor <= GROWTH_P50_FACTOR)])
    return lines


def check(rows: Sequence[Row]) -> list[list[str]]:
    """[stack, target, measured, verdict] for every target the rows can answer."""
    lines = []
    for stack in sorted({r.stack for r in rows if r.target == "imageshare"}):
        lines += _write_targets(rows, stack)
        lines += _read_targets(rows, stack)
        lines += _growth_targets(rows, stack)
    return lines
