"""Faults under a running server: nothing acknowledged is lost, health tells the truth, and
recovery needs no restart where the database comes back by itself.

* SQLite file deleted, or replaced: writes are refused with a retryable 503
  ServiceUnavailable (they would go to a file no restart sees), health is 503 naming why.
* SQLite on a full disk (a small tmpfs; skipped where mounting is not allowed): 503
  ServiceUnavailable, never 500; writes work again once there is space.
* PostgreSQL connections terminated by the server: the request is retried once on a new
  connection and succeeds; never 500.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from alibabacloud_ram20150501 import models as ram
from alibabacloud_swas_open20200601 import models as swas
from sqlalchemy import create_engine, text
from support.databases import postgres_schema
from support.errors import tea_error
from support.server import running_server
from support.world import World
from Tea.exceptions import TeaException

from imageshare.testing.swas import make_custom_image

REGION = "cn-hangzhou"


def _health(world: World) -> tuple[int, dict[str, Any]]:
    try:
        with urllib.request.urlopen(f"{world.url}/_imageshare/health", timeout=10) as reply:
            return reply.status, json.loads(reply.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def _share(world: World, who: Any, image_id: str, account: int) -> Any:
    request = swas.AddCustomImageShareAccountRequest(
        region_id=REGION, image_id=image_id, account=[account]
    )
    return world.swas(who).add_custom_image_share_account(request)


@pytest.fixture
def sqlite_world(tmp_path: Path) -> Iterator[tuple[World, Path]]:
    path = tmp_path / "imageshare.db"
    with running_server(f"sqlite:///{path}") as (endpoint, store):
        yield World(endpoint, store), path


def _remove_database(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


@pytest.mark.parametrize("fault", ["deleted", "replaced"])
def test_sqlite_file_gone_stops_acknowledging_writes(
    sqlite_world: tuple[World, Path], fault: str
) -> None:
    world, path = sqlite_world
    owner, friend = world.account(), world.account()
    image = make_custom_image(world.swas(owner), REGION)
    assert _health(world)[0] == 200
    if fault == "deleted":
        _remove_database(path)
    else:
        copy = path.with_name("copy.db")
        shutil.copy(path, copy)
        _remove_database(path)
        copy.rename(path)
    error = tea_error(lambda: _share(world, owner, image.id, friend.id))
    assert (error.status, error.code) == (503, "ServiceUnavailable")
    status, body = _health(world)
    assert status == 503 and fault in body["message"], body


def _create_policy(world: World, who: Any) -> int:
    """A 6 KB custom policy: pages the database must grow by; the HTTP status."""
    statement = {"Effect": "Allow", "Action": "ecs:DescribeImages", "Resource": "*"}
    document = json.dumps({"Version": "1", "Statement": [statement] * 75})
    request = ram.CreatePolicyRequest(
        policy_name="p" + uuid.uuid4().hex[:10], policy_document=document
    )
    try:
        return int(world.ram(who).create_policy(request).status_code)
    except TeaException as error:
        return int(error.status_code)


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 4 MiB tmpfs, for a full disk and a read-only file system; skipped where not allowed."""
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mount)],
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_full_disk_is_503_and_recovers(small_disk: Path) -> None:
    with running_server(f"sqlite:///{small_disk}/imageshare.db") as (endpoint, store):
        world = World(endpoint, store)
        owner, friend = world.account(), world.account()
        image = make_custom_image(world.swas(owner), REGION)
        filler = small_disk / "filler"
        # Unbuffered: a buffered file keeps the bytes a full disk refused and raises again
        # when closed, depending on how much room the database happened to leave.
        with filler.open("wb", buffering=0) as out:
            try:
                while True:
                    out.write(b"\0" * 65536)
            except OSError:
                pass
        statuses = [_create_policy(world, owner) for _ in range(10)]
        assert 503 in statuses and 500 not in statuses, statuses
        filler.unlink()
        assert _share(world, owner, image.id, friend.id).status_code == 200
        assert _health(world)[0] == 200


def test_postgres_connections_terminated_are_retried() -> None:
    with postgres_schema() as url:
        name = "imageshare-fault-" + uuid.uuid4().hex[:8]
        with running_server(f"{url}&application_name={name}") as (endpoint, store):
            world = World(endpoint, store)
            owner = world.account()
            client = world.swas(owner)
            assert client.list_regions(swas.ListRegionsRequest()).status_code == 200
            admin = create_engine(url, isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                killed = conn.execute(
                    text(
                        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                        " WHERE application_name = :name"
                    ),
                    {"name": name},
                ).scalar()
            admin.dispose()
            assert killed
            assert client.list_regions(swas.ListRegionsRequest()).status_code == 200
            image = make_custom_image(client, REGION)
            assert image.id
            assert _health(world)[0] == 200
