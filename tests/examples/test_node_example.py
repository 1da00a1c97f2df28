"""examples/node runs as its README says: `imageshare serve --world world.yaml`, `npm ci`, then
`node share.js` and `node ecs.js` with the official @alicloud/swas-open20200601 and
@alicloud/ecs20140526 packages from the npm registry, share.js over plain HTTP and over HTTPS
trusting imageshare's CA through NODE_EXTRA_CA_CERTS.

Skipped only when Node.js is not installed; in CI (``CI`` set) that is a failure instead, so
the example cannot silently stop being run.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from support.server import free_port

from imageshare.cli.common import open_store

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "node"
FILES = ("package.json", "package-lock.json", "share.js", "ecs.js", "world.yaml")
IMAGE, OWNER, FRIEND = "m-nodegolden0000000001", 1000000000000001, 1000000000000002
NPM_SECONDS, NODE_SECONDS, START_SECONDS = 120, 60, 30


def _tools() -> tuple[str, str]:
    node, npm = shutil.which("node"), shutil.which("npm")
    if node and npm:
        return node, npm
    reason = "node/npm not on PATH: examples/node needs Node.js 18+ with npm"
    if os.environ.get("CI"):
        pytest.fail(f"{reason}; CI must run the Node example")
    pytest.skip(reason)


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    """The example's files, without any node_modules a developer left in the checkout."""
    target = tmp_path / "node"
    target.mkdir()
    for name in FILES:
        shutil.copy(EXAMPLE / name, target / name)
    return target


@pytest.fixture
def server(copy: Path) -> Iterator[tuple[str, str, str]]:
    """``imageshare serve --world world.yaml`` on free HTTP and HTTPS ports: (HTTP endpoint,
    HTTPS endpoint, database URL); the CA is imageshare-tls/ca.pem beside the database."""
    port, https_port, database = free_port(), free_port(), f"sqlite:///{copy}/world.db"
    env = {k: v for k, v in os.environ.items() if not k.startswith("IMAGESHARE_")}
    command = [sys.executable, "-m", "imageshare", "serve", "--world", "world.yaml",
               "--port", str(port), "--https-port", str(https_port),
               "--database", database]  # fmt: skip
    process = subprocess.Popen(
        command, cwd=copy, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    try:
        _wait_for_banner(process)
        yield f"127.0.0.1:{port}", f"127.0.0.1:{https_port}", database
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=15)


def _wait_for_banner(process: subprocess.Popen[str]) -> None:
    assert process.stdout is not None
    seen: list[str] = []
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        seen.append(line)
        if "Stop with Ctrl+C" in line:
            return
        if not line and process.poll() is not None:
            break
    raise AssertionError("imageshare serve --world did not start:\n" + "".join(seen))


def _run(command: list[str], cwd: Path, seconds: int, **env: str) -> str:
    result = subprocess.run(
        command, cwd=cwd, env={**os.environ, **env}, capture_output=True, text=True,
        timeout=seconds,
    )  # fmt: skip
    assert result.returncode == 0, f"{command} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


@pytest.mark.parametrize("protocol", ["http", "https"])
def test_the_node_example_shares_an_image(
    copy: Path, server: tuple[str, str, str], protocol: str
) -> None:
    node, npm = _tools()
    http_endpoint, https_endpoint, database = server
    _run(
        [npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--prefer-offline"],
        copy, NPM_SECONDS, npm_config_update_notifier="false",
    )  # fmt: skip
    settings = {"IMAGESHARE_ENDPOINT": http_endpoint, "IMAGESHARE_PROTOCOL": protocol}
    if protocol == "https":
        settings["IMAGESHARE_ENDPOINT"] = https_endpoint
        settings["NODE_EXTRA_CA_CERTS"] = str(copy / "imageshare-tls" / "ca.pem")
    output = _run([node, "share.js"], copy, NODE_SECONDS, **settings)
    lines = output.splitlines()
    assert lines[0] == f"image {IMAGE} golden-node owned by {OWNER}"
    assert re.fullmatch(
        rf"shared {IMAGE} with {FRIEND} at \d{{4}}-\d\d-\d\d \d\d:\d\d:\d\d\.0", lines[1]
    )
    assert lines[2] == f"friend sees {IMAGE} shared by {OWNER}"
    # What the script printed is what the server stored.
    store = open_store(database)
    try:
        with store.unit_of_work() as uow:
            assert uow.shares.ordered(IMAGE) == [FRIEND]
    finally:
        store.dispose()


def test_the_node_example_makes_and_shares_an_ecs_image(
    copy: Path, server: tuple[str, str, str]
) -> None:
    node, npm = _tools()
    endpoint, _https, database = server
    _run(
        [npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--prefer-offline"],
        copy, NPM_SECONDS, npm_config_update_notifier="false",
    )  # fmt: skip
    output = _run([node, "ecs.js"], copy, NODE_SECONDS, IMAGESHARE_ENDPOINT=endpoint)
    created, shared, seen, launched = output.splitlines()
    image = re.fullmatch(r"created (m-[a-z0-9]{20}) from i-[a-z0-9]{20}", created)
    assert image is not None, created
    image_id = image.group(1)
    assert re.fullmatch(
        rf"shared {image_id} with {FRIEND} at \d{{4}}-\d\d-\d\dT\d\d:\d\d:\d\dZ", shared
    )
    assert seen == f"friend sees {image_id} owned by {OWNER}"
    assert re.fullmatch(r"friend launched i-[a-z0-9]{20}", launched)
    store = open_store(database)
    try:
        with store.unit_of_work() as uow:
            assert uow.shares.ordered(image_id) == [FRIEND]
    finally:
        store.dispose()
