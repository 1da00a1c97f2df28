"""`imageshare serve` and the admin token: generated and printed when not chosen, refused when
too short, and the printed one opens the admin endpoints of the running server."""

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
from pathlib import Path

from click.testing import CliRunner

from imageshare.cli import cli
from imageshare.testing.server import free_port


def test_a_short_admin_token_is_refused_before_anything_starts(tmp_path: Path) -> None:
    database = ["--database", f"sqlite:///{tmp_path}/serve.db"]
    result = CliRunner().invoke(cli, ["serve", "--admin-token", "short", *database])
    assert result.exit_code == 2 and "at least 16 characters" in result.output
    assert not (tmp_path / "serve.db").exists()


def _banner(process: subprocess.Popen[str]) -> str:
    assert process.stdout is not None
    lines: list[str] = []
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and "Stop with Ctrl+C" not in "".join(lines[-1:]):
        lines.append(process.stdout.readline())
    return "".join(lines)


def _reset(port: int, token: str) -> int:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/_imageshare/reset",
        method="POST",
        headers={"Authorization": f"Bearer {token}"},
    )
    deadline = time.monotonic() + 20
    while True:
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return int(json.loads(response.read())["demo_account_id"])
        except urllib.error.HTTPError:
            raise  # the server answered: a refusal is the test's failure, not a slow start
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def test_serve_prints_a_generated_token_that_opens_the_admin_endpoints(tmp_path: Path) -> None:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("IMAGESHARE_")}
    process = subprocess.Popen(
        [sys.executable, "-m", "imageshare", "serve", "--port", str(port)],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        banner = _banner(process)
        token = re.search(r"Admin token\s+(\S+)\s+\(generated", banner)
        account = re.search(r"Demo account\s+(\d+)", banner)
        assert token and account, banner
        assert len(token.group(1)) >= 16
        assert _reset(port, token.group(1)) == int(account.group(1))
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=15)
