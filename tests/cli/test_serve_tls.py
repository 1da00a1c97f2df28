"""`imageshare serve --https-port` / `--tls` as a user runs them: the CA printed in the banner is
the one to trust, HTTP and HTTPS answer at once, and a half-given certificate is refused."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

from alibabacloud_sts20150401.client import Client
from alibabacloud_tea_openapi.models import Config
from alibabacloud_tea_util.models import RuntimeOptions
from support.server import free_port

from imageshare.http.tls import ensure_files

COMMAND = [sys.executable, "-m", "imageshare", "serve"]


def _banner(process: subprocess.Popen[str]) -> str:
    assert process.stdout is not None
    lines: list[str] = []
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        lines.append(process.stdout.readline())
        if "Stop with Ctrl+C" in lines[-1]:
            return "".join(lines)
    raise AssertionError("no banner: " + "".join(lines))


def _identity(config: Config, runtime: RuntimeOptions) -> str:
    deadline = time.monotonic() + 20
    while True:
        try:
            account: str = Client(config).get_caller_identity_with_options(runtime).body.account_id
            return account
        except Exception:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def test_serve_http_and_https_at_once_with_the_printed_ca(tmp_path: Path) -> None:
    port, https_port = free_port(), free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("IMAGESHARE_")}
    process = subprocess.Popen(
        [*COMMAND, "--port", str(port), "--https-port", str(https_port)],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        banner = _banner(process)
        ca = re.search(r"CA certificate\s+(\S+)", banner)
        key_id = re.search(r"AccessKeyId\s+(\S+)", banner)
        secret = re.search(r"AccessKeySecret\s+(\S+)", banner)
        assert ca and key_id and secret, banner
        assert Path(ca.group(1)) == tmp_path / "imageshare-tls" / "ca.pem"
        assert f"HTTPS            127.0.0.1:{https_port}" in banner
        keys = {"access_key_id": key_id.group(1), "access_key_secret": secret.group(1)}
        over_https = Config(**keys, endpoint=f"localhost:{https_port}", protocol="https")
        over_http = Config(**keys, endpoint=f"127.0.0.1:{port}", protocol="http")
        account = _identity(over_https, RuntimeOptions(ca=ca.group(1)))
        assert _identity(over_http, RuntimeOptions()) == account
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=15)


def test_a_certificate_needs_its_key(tmp_path: Path) -> None:
    certificate = tmp_path / "cert.pem"
    certificate.write_text("not used")
    result = subprocess.run(
        [*COMMAND, "--port", str(free_port()), "--tls-cert", str(certificate)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "give --tls-cert and --tls-key together" in result.stderr


def test_several_workers_cannot_serve_both_listeners(tmp_path: Path) -> None:
    result = subprocess.run(
        [*COMMAND, "--port", str(free_port()), "--https-port", str(free_port())]
        + ["--workers", "2"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "--https-port serves HTTP and HTTPS from one process" in result.stderr


def test_serve_https_with_your_own_certificate(tmp_path: Path) -> None:
    # "Your own": made elsewhere (here by the same code, in another directory).
    own = ensure_files(tmp_path / "mine")
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("IMAGESHARE_")}
    command = [*COMMAND, "--port", str(port), "--tls-cert", str(own.cert)]
    process = subprocess.Popen(
        [*command, "--tls-key", str(own.key)],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        banner = _banner(process)
        assert f"HTTPS            127.0.0.1:{port}" in banner
        assert "CA certificate" not in banner  # nothing generated, nothing to point at
        assert not (tmp_path / "imageshare-tls").exists()
        key_id = re.search(r"AccessKeyId\s+(\S+)", banner)
        secret = re.search(r"AccessKeySecret\s+(\S+)", banner)
        assert key_id and secret, banner
        config = Config(
            access_key_id=key_id.group(1),
            access_key_secret=secret.group(1),
            endpoint=f"127.0.0.1:{port}",
            protocol="https",
        )
        assert _identity(config, RuntimeOptions(ca=str(own.ca))).isdigit()
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=15)
