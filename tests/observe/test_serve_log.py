"""`imageshare serve`'s request log as an operator meets it: on by default, JSON lines with
--log-format json, quiet with IMAGESHARE_LOG_LEVEL=WARNING."""

from __future__ import annotations

import json
import re
from pathlib import Path

from alibabacloud_swas_open20200601 import models as swas
from alibabacloud_swas_open20200601.client import Client
from alibabacloud_tea_openapi.models import Config
from support.processes import ServerProcess, start


def _demo_client(server: ServerProcess) -> Client:
    banner = server.log()
    key_id = re.search(r"AccessKeyId\s+(\S+)", banner)
    secret = re.search(r"AccessKeySecret\s+(\S+)", banner)
    assert key_id and secret, banner
    config = Config(
        access_key_id=key_id.group(1),
        access_key_secret=secret.group(1),
        endpoint=server.endpoint,
        protocol="http",
    )
    return Client(config)


def _request_lines(log: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in log.splitlines() if line.startswith('{"time"')]


def test_serve_logs_json_lines(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'json.db'}"
    server = start(url, tmp_path, workers=1, env={"IMAGESHARE_LOG_FORMAT": "json"})
    try:
        answer = _demo_client(server).list_regions(swas.ListRegionsRequest())
    finally:
        server.stop()
    lines = _request_lines(server.log())
    mine = [line for line in lines if line["request_id"] == answer.body.request_id]
    assert len(mine) == 1 and mine[0]["action"] == "ListRegions", server.log()
    assert mine[0]["status"] == 200 and mine[0]["principal_type"] == "Account"


def test_serve_is_quiet_at_warning(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'quiet.db'}"
    env = {"IMAGESHARE_LOG_LEVEL": "WARNING", "IMAGESHARE_LOG_FORMAT": "json"}
    server = start(url, tmp_path, workers=1, env=env)
    try:
        _demo_client(server).list_regions(swas.ListRegionsRequest())
    finally:
        server.stop()
    assert _request_lines(server.log()) == []
    assert "request_id" not in server.log()


def test_serve_logs_text_lines_by_default(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'text.db'}"
    server = start(url, tmp_path, workers=1)
    try:
        answer = _demo_client(server).list_regions(swas.ListRegionsRequest())
    finally:
        server.stop()
    (line,) = [x for x in server.log().splitlines() if answer.body.request_id in x]
    assert " INFO request_id=" in line and " action=ListRegions " in line
    assert " status=200 error_code=- duration_ms=" in line
