"""How fast the pytest plugin gives each test a clean state, and what the state admin costs.

    .venv/bin/python bench/bench_reset.py [--resets 300] [--accounts 20] [--backend all]

For each backend (SQLite in a temporary file; PostgreSQL in a throw-away schema of
``IMAGESHARE_TEST_PG_URL`` when it answers) it starts the in-process server the plugin uses,
builds a world through the official SWAS SDK (accounts, custom images, shares), saves it as a
snapshot, and then times, over many repetitions:

* ``reset (world)``: emptying that populated state (restored, untimed, before each reset);
* ``reset (empty)``: the common case between two tests that made a small world or none;
* ``reset over HTTP``: ``POST /_imageshare/reset`` from a client;
* ``restore``, ``export``: a snapshot restore and a full export of the world.

Figures go to stdout as a table; docs/testing.md quotes them with the command that made them.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from imageshare.testing.server import RunningServer, serve_in_thread
from imageshare.testing.world import World

PG_URL = os.environ.get(
    "IMAGESHARE_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
TOKEN = "bench-admin-token-0123456789"


@contextmanager
def database(backend: str) -> Iterator[str | None]:
    """A fresh database URL for ``backend``, or None when PostgreSQL does not answer."""
    if backend == "sqlite":
        with tempfile.TemporaryDirectory() as tmp:
            yield f"sqlite:///{tmp}/bench.db"
        return
    schema = "imageshare_bench_" + uuid.uuid4().hex[:12]
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    except OperationalError:
        yield None
        return
    try:
        yield f"{PG_URL}?options=-csearch_path%3D{schema}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def build_world(server: RunningServer, accounts: int, images: int) -> dict[str, int]:
    """Accounts, each with ``images`` custom images shared with the next account."""
    from alibabacloud_swas_open20200601 import models

    world = World(server.endpoint, server.store)
    people = [world.account() for _ in range(accounts)]
    for owner, friend in zip(people, people[1:] + people[:1], strict=True):
        for _ in range(images):
            image = world.swas_image(owner)
            request = models.AddCustomImageShareAccountRequest(
                region_id=world.region, image_id=image.id, account=[friend.id]
            )
            world.swas(owner).add_custom_image_share_account(request)
    tables = server.export()["tables"]
    return {name: len(rows) for name, rows in tables.items() if rows}


def timed(
    repeat: int, work: Callable[[], object], before: Callable[[], object] | None = None
) -> list[float]:
    """Milliseconds per call of ``work`` (``before`` runs untimed ahead of each)."""
    samples: list[float] = []
    for _ in range(repeat):
        if before is not None:
            before()
        started = time.perf_counter()
        work()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def http_reset(server: RunningServer) -> None:
    request = urllib.request.Request(
        f"{server.url}/_imageshare/reset?keep_demo=false",
        method="POST",
        headers={"Authorization": f"Bearer {TOKEN}"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        response.read()


def summary(samples: list[float]) -> str:
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return f"p50 {statistics.median(ordered):7.2f} ms   p99 {p99:7.2f} ms   (n={len(ordered)})"


COLD_START = """
import sys, time
started = time.perf_counter()
from imageshare.testing.server import serve_in_thread
with serve_in_thread(sys.argv[1]):
    print((time.perf_counter() - started) * 1000)
"""


def cold_start_ms(url: str) -> float:
    """A fresh interpreter's import + migrate + serve, as the plugin's first fixture pays it."""
    out = subprocess.run(
        [sys.executable, "-c", COLD_START, url], capture_output=True, text=True, check=True
    )
    return float(out.stdout.strip())


def bench_backend(backend: str, args: argparse.Namespace) -> None:
    with database(backend) as url:
        if url is None:
            print(f"\n{backend}: not reachable at {PG_URL}, skipped")
            return
        cold_ms = statistics.median(cold_start_ms(url) for _ in range(3))
        started = time.perf_counter()
        with serve_in_thread(url, admin_token=TOKEN) as server:
            start_ms = (time.perf_counter() - started) * 1000
            rows = build_world(server, args.accounts, args.images)
            server.snapshot("world")

            def restore() -> None:
                server.restore("world")

            few = max(10, args.resets // 10)
            results = {
                "reset (world)": timed(args.resets, server.reset, restore),
                "reset (empty)": timed(args.resets, server.reset),
                "reset over HTTP": timed(args.resets, lambda: http_reset(server)),
                "restore": timed(few, restore),
                "export": timed(few, server.export),
            }
        print(f"\n{backend}: server ready in {start_ms:.0f} ms ({cold_ms:.0f} ms from a cold")
        print(f"  interpreter, imports included); world {rows}")
        for name, samples in results.items():
            print(f"  {name:<16} {summary(samples)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--resets", type=int, default=300, help="repetitions per figure")
    parser.add_argument("--accounts", type=int, default=20, help="accounts in the world")
    parser.add_argument("--images", type=int, default=2, help="custom images per account")
    parser.add_argument("--backend", choices=["sqlite", "postgres", "all"], default="all")
    args = parser.parse_args()
    for backend in ("sqlite", "postgres") if args.backend == "all" else (args.backend,):
        bench_backend(backend, args)


if __name__ == "__main__":
    main()
