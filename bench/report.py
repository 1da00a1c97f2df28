"""Tables for the terminal and for ``docs/performance.md``, and the target check.

Generated parts of the document live between ``<!-- BEGIN bench:NAME -->`` and
``<!-- END bench:NAME -->``; re-running a benchmark replaces only its own part.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path

from bench.measure import Row

DOC = Path(__file__).resolve().parents[1] / "docs" / "performance.md"

HEADERS = (
    "target",
    "stack",
    "db",
    "data",
    "workers",
    "scenario",
    "scheme",
    "req/s",
    "req/s of each round",
    "p50 ms",
    "p99 ms",
    "errors",
    "worker RSS MB",
    "connections per worker",
    "client CPU us/req",
    "server CPU us/req",
)


def row_cells(row: Row) -> list[str]:
    result = row.result
    errors = str(result.errors) if result.completed else "no answers"
    return [
        row.target,
        row.stack,
        row.backend,
        row.dataset,
        str(row.workers),
        row.scenario,
        row.scheme,
        f"{result.throughput:,.0f}",
        " / ".join(f"{t:,.0f}" for t in row.rounds) or "-",
        f"{result.p50_ms:.2f}",
        f"{result.p99_ms:.2f}",
        errors,
        f"{row.rss_mb:.0f}",
        "+".join(map(str, row.connections)) or "-",
        f"{result.client_us_per_request:.0f}",
        f"{row.server_us_per_request:.0f}" if row.server_cpu else "-",
    ]


def markdown_table(headers: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(cells) + " |" for cells in rows]
    return "\n".join(lines)


def replace_section(document: str, name: str, body: str) -> str:
    """``document`` with the generated part ``name`` replaced by ``body`` (or appended).

    :raises ValueError: the part's markers are out of order or repeated.
    """
    begin, end = f"<!-- BEGIN bench:{name} -->", f"<!-- END bench:{name} -->"
    block = f"{begin}\n{body.strip()}\n{end}"
    pattern = re.compile(re.escape(begin) + r".*?" + re.escape(end), re.DOTALL)
    found = pattern.findall(document)
    if len(found) > 1 or document.count(begin) != len(found):
        raise ValueError(f"docs markers for {name!r} are broken: fix them by hand")
    if not found:
        return document.rstrip("\n") + "\n\n" + block + "\n"
    return pattern.sub(lambda _match: block, document, count=1)


def write_section(name: str, body: str, doc: Path = DOC) -> None:
    document = doc.read_text() if doc.exists() else "# Performance\n"
    doc.write_text(replace_section(document, name, body))


def _find(rows: Sequence[Row], **wanted: object) -> Row | None:
    for row in rows:
        if all(getattr(row, key) == value for key, value in wanted.items()):
            return row
    return None


def _ratio(numerator: Row | None, denominator: Row | None) -> str:
    if numerator is None or denominator is None or not denominator.result.throughput:
        return "not measured"
    return f"{numerator.result.throughput / denominator.result.throughput:.2f}"


def comparisons(rows: Sequence[Row]) -> list[list[str]]:
    """imageshare against moto and against the bare ASGI app, per stack, SQLite, 2 workers."""
    lines = []
    for stack in sorted({r.stack for r in rows if r.target == "imageshare"}):
        bare = _find(rows, target="bare-asgi", stack=stack, workers=2)
        for scenario in ("write", "read"):
            mine = _find(
                rows,
                target="imageshare",
                stack=stack,
                backend="sqlite",
                dataset="empty",
                workers=2,
                scenario=scenario,
                scheme="acs3",
            )
            moto = _find(rows, target="moto", scenario=scenario)
            lines.append([stack, scenario, _ratio(mine, moto), _ratio(mine, bare)])
    return lines


def growth(rows: Sequence[Row]) -> list[list[str]]:
    """p50 and RSS with 1,000,000 images against the same row on an empty database."""
    lines = []
    for big in (r for r in rows if r.dataset == "1m"):
        empty = _find(
            rows,
            target="imageshare",
            stack=big.stack,
            backend=big.backend,
            dataset="empty",
            workers=big.workers,
            scenario=big.scenario,
            scheme=big.scheme,
        )
        if empty is None:
            continue
        ratio = big.result.p50_ms / empty.result.p50_ms if empty.result.p50_ms else 0.0
        lines.append(
            [
                big.stack,
                big.backend,
                big.scenario,
                f"{empty.result.p50_ms:.2f}",
                f"{big.result.p50_ms:.2f}",
                f"{ratio:.2f}",
                f"{empty.rss_mb:.0f}",
                f"{big.rss_mb:.0f}",
            ]
        )
    return lines


def stacks(rows: Sequence[Row]) -> list[list[str]]:
    """granian throughput over uvicorn's, row by row, where both were measured."""
    lines = []
    for gran in (r for r in rows if r.stack == "granian"):
        keys = ("target", "backend", "dataset", "workers", "scenario", "scheme")
        uvi = _find(rows, stack="uvicorn", **{k: getattr(gran, k) for k in keys})
        if uvi is not None:
            parts = (gran.target, gran.backend, gran.dataset, gran.scenario, gran.scheme)
            label = " ".join(p for p in parts if p != "-")
            lines.append([label, str(gran.workers), _ratio(gran, uvi)])
    return lines
