"""Every declared parameter of every registered action given every hostile value of issue 19
(tests/support/hostile.py's HOSTILE_VALUES) and every hostile form of its name, one at a time,
on a plausible request: the deterministic companion of the random fuzz (bench/fuzz_registry.py).

    PYTHONPATH=src python -m bench.hostile_sweep --database sqlite

Prints the number of requests, the answers by (HTTP status, code), and every 5xx or answer
that is not a JSON envelope with the request that caused it; exits 1 if there was any.
Figures: docs/hostile-input.md.
"""

from __future__ import annotations

import argparse
import collections
import json
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))  # bench.fuzz_registry, when run by path rather than with -m

import support.hostile as hostile  # noqa: E402
from hypothesis import find  # noqa: E402
from support.databases import database_url  # noqa: E402
from support.server import running_server  # noqa: E402
from support.world import World  # noqa: E402

from bench.fuzz_registry import report, targets_of  # noqa: E402
from imageshare.api.all import build_registry  # noqa: E402
from imageshare.api.registry import Action  # noqa: E402

NAME_FORMS = ["{}.1", "{}.01", "{}.0", "{}.1.Key", "{}.99999999999", "{}" + ".1" * 500]


def _baseline(action: Action[Any], targets: hostile.Targets) -> dict[str, str]:
    """The required parameters, each its simplest plausible value."""
    params: dict[str, str] = {}
    for name, field in action.request.model_fields.items():
        if field.is_required():
            wire = field.alias or name
            params.update(find(hostile.plausible(wire, field.annotation, targets), bool))
    return params


def _plans(targets: hostile.Targets) -> Iterator[hostile.Plan]:
    count = 0
    for action in sorted(build_registry(), key=lambda a: (a.product.version, a.name)):
        baseline = _baseline(action, targets)
        for wire in hostile.wire_names(action):
            changes = [(wire, value) for value in hostile.HOSTILE_VALUES]
            changes += [(form.format(wire), "1") for form in NAME_FORMS]
            for name, value in changes:
                scheme, in_body = ("ACS3", "RPC")[count % 2], count // 2 % 2 == 1
                count += 1
                yield hostile.Plan(action, scheme, in_body, [*{**baseline, name: value}.items()])


def run(backend: str) -> int:
    answers: collections.Counter[tuple[int, str]] = collections.Counter()
    failures: list[str] = []
    started = time.monotonic()
    with (
        tempfile.TemporaryDirectory() as tmp,
        database_url(backend, tmp) as url,
        running_server(url) as (endpoint, store),
    ):
        targets, who = targets_of(World(endpoint, store))
        for plan in _plans(targets):
            reply = hostile.send(endpoint, who.key_id, who.secret, plan)
            try:
                code = str(json.loads(reply.body).get("Code", "OK"))
                envelope = reply.content_type.startswith("application/json")
            except ValueError:
                code, envelope = reply.body[:40].decode("latin-1"), False
            answers[(reply.status, code)] += 1
            if reply.status >= 500 or not envelope:
                failures.append(f"{plan.action.name} {plan.params!r:.300} -> {reply.body[:200]!r}")
    return report(backend, answers, failures, time.monotonic() - started, most=12)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", choices=["sqlite", "postgres"], action="append")
    args = parser.parse_args()
    found = sum(run(backend) for backend in args.database or ["sqlite", "postgres"])
    sys.exit(1 if found else 0)


if __name__ == "__main__":
    main()
