"""`imageshare serve` as a new user runs it: a fresh directory, a banner, a working key."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from datetime import timedelta
from pathlib import Path

import pytest
from alibabacloud_swas_open20200601 import models as swas
from alibabacloud_swas_open20200601.client import Client
from alibabacloud_tea_openapi.models import Config
from support.server import free_port

from imageshare.store.ledger import NonceLedger, ledger_path, period_for


def _wait_for_banner(process: subprocess.Popen[str]) -> str:
    assert process.stdout is not None
    lines: list[str] = []
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        lines.append(line)
        if "Stop with Ctrl+C" in line:
            return "".join(lines)
    raise AssertionError("no banner: " + "".join(lines))


def _call_until_up(config: Config) -> swas.ListRegionsResponse:
    deadline = time.monotonic() + 20
    while True:
        try:
            return Client(config).list_regions(swas.ListRegionsRequest())
        except Exception:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def test_serve_prints_a_working_demo_key(tmp_path: Path) -> None:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("IMAGESHARE_")}
    command = [sys.executable, "-m", "imageshare", "serve", "--port", str(port)]
    process = subprocess.Popen(
        command, cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    try:
        banner = _wait_for_banner(process)
        key_id = re.search(r"AccessKeyId\s+(\S+)", banner)
        secret = re.search(r"AccessKeySecret\s+(\S+)", banner)
        assert key_id and secret, banner
        assert f"127.0.0.1:{port}" in banner and "cn-hangzhou" in banner
        assert f"Created a NEW, EMPTY database at {tmp_path.resolve()}/imageshare.db" in banner
        config = Config(
            access_key_id=key_id.group(1),
            access_key_secret=secret.group(1),
            endpoint=f"127.0.0.1:{port}",
            protocol="http",
        )
        assert _call_until_up(config).body.regions
        assert (tmp_path / "imageshare.db").exists()
        assert (tmp_path / "imageshare.db-nonces").exists()  # SQLite's nonce ledger
        # serve runs uvicorn with imageshare's protocol (http/guarded.py), as the tests' servers
        assert _refusal_code(f"http://127.0.0.1:{port}/?Pad={'a' * 70_000}") == "RequestURITooLong"
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=15)


def _refusal_code(url: str) -> str:
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(url, timeout=10)
    assert info.value.headers["content-type"].startswith("application/json")
    code: str = json.loads(info.value.read())["Code"]
    return code


def test_serve_refuses_a_nonce_ledger_made_for_a_shorter_clock_skew(tmp_path: Path) -> None:
    """Servers on one database must share the skew; one that needs longer stops at start-up
    with what to do, before any worker starts."""
    database = f"sqlite:///{tmp_path}/imageshare.db"
    NonceLedger(ledger_path(database), period_for(timedelta(minutes=15))).close()
    env = {k: v for k, v in os.environ.items() if not k.startswith("IMAGESHARE_")}
    env["IMAGESHARE_MAX_CLOCK_SKEW_SECONDS"] = "1800"
    command = [sys.executable, "-m", "imageshare", "serve", "--port", str(free_port())]
    result = subprocess.run(
        [*command, "--database", database], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "IMAGESHARE_MAX_CLOCK_SKEW_SECONDS" in result.stderr
    assert f"{tmp_path}/imageshare.db-nonces" in result.stderr
