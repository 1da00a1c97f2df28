"""The long, bounded run of the hostile-input fuzz (tests/integration/test_hostile_fuzz.py):
the same requests, many more of them, with a tally of what came back.

    PYTHONPATH=src python -m bench.fuzz_registry --database sqlite --examples 5000

Prints the number of requests, the answers by (HTTP status, code), and every 5xx or answer
that is not a JSON envelope, with the request that caused it; exits 1 if there was any.
Figures: docs/hostile-input.md.
"""

from __future__ import annotations

import argparse
import collections
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

import support.hostile as hostile  # noqa: E402
from hypothesis import HealthCheck, given, settings  # noqa: E402
from support.databases import database_url  # noqa: E402
from support.server import running_server  # noqa: E402
from support.world import AccountKeys, World  # noqa: E402

from imageshare.api.all import build_registry  # noqa: E402

POLICY = '{"Version":"1","Statement":[{"Effect":"Allow","Action":"ecs:Describe*","Resource":"*"}]}'


def targets_of(world: World) -> tuple[hostile.Targets, AccountKeys]:
    who, stranger = world.account(), world.account()
    swas, theirs = world.swas_image(who), world.swas_image(stranger)
    ecd = world.ecd_image(who)
    world.ram_user(who, name="fuzz-user")
    targets = hostile.Targets(
        image_ids=[swas.id, ecd, theirs.id, "m-" + "0" * 20],
        account_ids=[str(stranger.id), str(who.id), "1000000000000001"],
        names=["fuzz-user", swas.instance_id, swas.system_snapshot_id, "AliyunECSFullAccess"],
        policy=POLICY,
    )
    return targets, who


def run(backend: str, examples: int) -> int:
    answers: collections.Counter[tuple[int, str]] = collections.Counter()
    failures: list[str] = []
    with (
        tempfile.TemporaryDirectory() as tmp,
        database_url(backend, tmp) as url,
        running_server(url) as (endpoint, store),
    ):
        targets, who = targets_of(World(endpoint, store))

        @settings(
            max_examples=examples,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(hostile.plans(build_registry(), targets))
        def one(plan: hostile.Plan) -> None:
            reply = hostile.send(endpoint, who.key_id, who.secret, plan)
            try:
                code = str(json.loads(reply.body).get("Code", "OK"))
                envelope = reply.content_type.startswith("application/json")
            except ValueError:
                code, envelope = reply.body[:40].decode("latin-1"), False
            answers[(reply.status, code)] += 1
            if reply.status >= 500 or not envelope:
                failures.append(
                    f"{plan.action.name} {plan.params[:6]!r:.400} -> {reply.body[:200]!r}"
                )

        started = time.monotonic()
        one()
        elapsed = time.monotonic() - started
    return report(backend, answers, failures, elapsed)


def report(
    backend: str,
    answers: collections.Counter[tuple[int, str]],
    failures: list[str],
    elapsed: float,
    most: int | None = None,
) -> int:
    """Print a run's answers by (status, code), the ``most`` common first, and every failure;
    the number of failures."""
    total = sum(answers.values())
    print(f"{backend}: {total} requests in {elapsed:.0f} s, {len(failures)} 5xx or not JSON")
    for (status, code), count in answers.most_common(most):
        print(f"  {count:6} {status} {code}")
    for failure in failures:
        print("  failed:", failure)
    return len(failures)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", choices=["sqlite", "postgres"], action="append")
    parser.add_argument("--examples", type=int, default=3000)
    args = parser.parse_args()
    found = sum(run(backend, args.examples) for backend in args.database or ["sqlite", "postgres"])
    sys.exit(1 if found else 0)


if __name__ == "__main__":
    main()
