"""A SQLite file (or its directory) made read-only under a running server: writes are refused
with a retryable 503 ServiceUnavailable, never acknowledged, reads still answer, health is 503
naming why, and writes are taken again once the permissions are back (docs/admin.md, "Faults").

Root ignores file permissions, so when the tests run as root the server runs as root without
the capabilities that let it (``setpriv --bounding-set -dac_override,-dac_read_search``): the
owner's mode bits then bind it. Not as ``nobody``, who may not enter a checkout under a 0700
directory (``mktemp -d``), as CI's can be. As any other user it runs as that user.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import tempfile
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from alibabacloud_ram20150501 import models as ram
from alibabacloud_ram20150501.client import Client as RamClient
from alibabacloud_tea_openapi.models import Config
from support import processes
from support.errors import tea_error


def _run_as() -> list[str]:
    """The command prefix that runs the server without root's disregard for permissions."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: root ignores file permissions")
    return [setpriv, "--bounding-set", "-dac_override,-dac_read_search", "--inh-caps", "-all"]


@pytest.fixture
def server_dir() -> Iterator[Path]:
    """A directory the server's user owns; its files are removed afterwards."""
    path = Path(tempfile.mkdtemp(prefix="imageshare-perm-"))
    try:
        yield path
    finally:
        path.chmod(0o755)
        shutil.rmtree(path)


def _health(endpoint: str) -> tuple[int, dict[str, Any]]:
    try:
        with urllib.request.urlopen(f"http://{endpoint}/_imageshare/health", timeout=10) as reply:
            return reply.status, json.loads(reply.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def _demo_client(server: processes.ServerProcess) -> RamClient:
    """A RAM client for the demo account the server printed in its banner."""
    log = server.log()
    key_id = re.search(r"AccessKeyId\s+(\S+)", log)
    secret = re.search(r"AccessKeySecret\s+(\S+)", log)
    assert key_id and secret, log
    config = Config(
        access_key_id=key_id.group(1),
        access_key_secret=secret.group(1),
        endpoint=server.endpoint,
        protocol="http",
    )
    return RamClient(config)


def _create_user(client: RamClient, name: str) -> int:
    return int(client.create_user(ram.CreateUserRequest(user_name=name)).status_code)


def _users(client: RamClient) -> list[str]:
    listed = client.list_users(ram.ListUsersRequest()).body.users.user
    return sorted(user.user_name for user in listed)


@pytest.mark.parametrize("made_read_only", ["file", "directory"])
def test_a_read_only_database_refuses_writes_and_recovers(
    server_dir: Path, made_read_only: str
) -> None:
    database = server_dir / "imageshare.db"
    server = processes.start(f"sqlite:///{database}", server_dir, workers=1, run_as=_run_as())
    try:
        client = _demo_client(server)
        assert _create_user(client, "before") == 200
        assert _health(server.endpoint)[0] == 200
        locked = database if made_read_only == "file" else server_dir
        mode = locked.stat().st_mode & 0o777
        locked.chmod(0o555 if locked.is_dir() else 0o444)
        error = tea_error(lambda: _create_user(client, "refused"))
        assert (error.status, error.code) == (503, "ServiceUnavailable")
        status, body = _health(server.endpoint)
        assert status == 503 and "no longer writable" in body["message"], body
        assert _users(client) == ["before"]  # reads still answer
        locked.chmod(mode)
        assert _create_user(client, "after") == 200
        assert _health(server.endpoint)[0] == 200
    finally:
        server.stop()
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as conn:
        stored = sorted(row[0] for row in conn.execute("SELECT name FROM ram_users"))
    assert stored == ["after", "before"]  # the refused write is nowhere, nothing else lost
