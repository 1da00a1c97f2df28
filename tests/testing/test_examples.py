"""The examples users copy must work: the example test file passes under the plugin, and the
CI block of docs/testing.md starts a real `imageshare serve` and waits until it is healthy."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from alibabacloud_swas_open20200601 import models as swas
from alibabacloud_swas_open20200601.client import Client
from alibabacloud_tea_openapi.models import Config

from imageshare.testing.server import free_port

pytest_plugins = ["pytester"]

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "ci-admin-token-0123456789"


def test_the_example_test_file_passes(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")
    source = (ROOT / "examples" / "test_with_imageshare.py").read_text()
    pytester.makepyfile(test_with_imageshare=source)
    result = pytester.runpytest_subprocess("-p", "imageshare.testing.plugin", "-q")
    result.assert_outcomes(passed=4)


def test_the_pipeline_that_waits_for_a_copy_passes(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    """docs/testing.md's worked example, with the pytest.ini its docstring gives."""
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")
    source = (ROOT / "examples" / "test_pipeline_waits_for_copy.py").read_text()
    pytester.makepyfile(test_pipeline_waits_for_copy=source)
    pytester.makeini("[pytest]\nimageshare_operation_seconds = ecs:CopyImage=600\n")
    result = pytester.runpytest_subprocess("-p", "imageshare.testing.plugin", "-q")
    result.assert_outcomes(passed=2)


def test_an_unknown_operation_is_a_usage_error(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")
    pytester.makepyfile(test_x="def test_x(imageshare):\n    pass\n")
    flag = "--imageshare-operation-seconds=ecs:Teleport=1"
    result = pytester.runpytest_subprocess("-p", "imageshare.testing.plugin", flag)
    assert "no operation 'ecs:Teleport' takes time" in result.stdout.str() + result.stderr.str()


def ci_block() -> str:
    """The shell block after the ``<!-- ci-start -->`` marker in docs/testing.md."""
    text = (ROOT / "docs" / "testing.md").read_text()
    found = re.search(r"<!-- ci-start -->\n```sh\n(.+?)\n```", text, re.DOTALL)
    assert found, "docs/testing.md lost its CI block"
    return found.group(1)


@pytest.fixture
def ci_server(tmp_path: Path) -> Iterator[tuple[subprocess.CompletedProcess[str], int]]:
    """Run the CI block as a pipeline would (its port swapped for a free one); stop the
    server it started, by the pid it recorded, afterwards."""
    port = free_port()
    script = ci_block().replace("8080", str(port))
    env = {k: v for k, v in os.environ.items() if not k.startswith("IMAGESHARE_")}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env["IMAGESHARE_ADMIN_TOKEN"] = TOKEN
    done = subprocess.run(
        ["bash", "-e", "-c", script],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    pid = int((tmp_path / "imageshare.pid").read_text())
    try:
        yield done, port
    finally:
        _stop(pid)


def _stop(pid: int) -> None:
    os.kill(pid, signal.SIGINT)
    deadline = time.monotonic() + 15
    while _alive(pid):
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            return
        time.sleep(0.05)


def _alive(pid: int) -> bool:
    # Orphaned once bash exits, so it may linger as a zombie until init reaps it.
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False
    return "\nState:\tZ" not in status


def test_the_ci_block_waits_for_a_healthy_server(
    ci_server: tuple[subprocess.CompletedProcess[str], int], tmp_path: Path
) -> None:
    done, port = ci_server
    assert done.returncode == 0, done.stdout + done.stderr
    health = json.loads(done.stdout.strip().splitlines()[-1])
    assert health["status"] == "ok" and health["schema_revision"]
    log = (tmp_path / "imageshare.log").read_text()
    key_id = re.search(r"AccessKeyId\s+(\S+)", log)
    secret = re.search(r"AccessKeySecret\s+(\S+)", log)
    account = re.search(r"Demo account\s+(\d+)", log)
    assert key_id and secret and account, log
    assert TOKEN not in log  # a chosen token is not echoed
    client = Client(
        Config(
            access_key_id=key_id.group(1),
            access_key_secret=secret.group(1),
            endpoint=f"127.0.0.1:{port}",
            protocol="http",
        )
    )
    assert client.list_regions(swas.ListRegionsRequest()).body.regions
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/_imageshare/reset",
        method="POST",
        headers={"Authorization": f"Bearer {TOKEN}"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert json.loads(response.read())["demo_account_id"] == int(account.group(1))
    assert client.list_regions(swas.ListRegionsRequest()).body.regions  # the demo key survives
