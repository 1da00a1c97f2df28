"""`imageshare serve --world` as a user runs it: the world's keys work at once; a bad file or a
refused world stops start-up with the problems and a non-zero exit."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from alibabacloud_swas_open20200601 import models as swas
from alibabacloud_swas_open20200601.client import Client
from support.server import free_port
from world_support import docs_world, line_of, row_counts, sdk_config

from imageshare.cli.common import open_store

START_SECONDS = 30


def _serve(tmp_path: Path, world: Path, database: str) -> tuple[subprocess.Popen[str], int]:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("IMAGESHARE_")}
    command = [sys.executable, "-m", "imageshare", "serve", "--port", str(port),
               "--database", database, "--world", str(world)]  # fmt: skip
    process = subprocess.Popen(
        command, cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    return process, port


def _banner(process: subprocess.Popen[str]) -> str:
    assert process.stdout is not None
    lines: list[str] = []
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        lines.append(line)
        if "Stop with Ctrl+C" in line or (not line and process.poll() is not None):
            break
    return "".join(lines)


def _list_images(port: int, key_id: str, secret: str) -> list[str]:
    client = Client(sdk_config(f"127.0.0.1:{port}", key_id, secret))
    deadline = time.monotonic() + START_SECONDS
    while True:
        try:
            body = client.list_custom_images(
                swas.ListCustomImagesRequest(region_id="cn-hangzhou")
            ).body
            return sorted(image.image_id for image in body.custom_images)
        except Exception:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def test_serve_world_answers_with_the_declared_keys(tmp_path: Path) -> None:
    world = tmp_path / "world.yaml"
    world.write_text(docs_world())
    process, port = _serve(tmp_path, world, f"sqlite:///{tmp_path}/world.db")
    try:
        banner = _banner(process)
        assert f"127.0.0.1:{port}" in banner and f"World            {world}" in banner
        assert "LTAIglobex00000000000001" in banner and "Demo account" not in banner
        globex = ("LTAIglobex00000000000001", "globex-root-secret-00000000001")
        assert _list_images(port, *globex) == ["m-acmegoldenweb0000001"]
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=15)


def test_an_invalid_world_stops_start_up_before_the_database(tmp_path: Path) -> None:
    world = tmp_path / "bad.yaml"
    text = docs_world().replace("site: international", "site: atlantis")
    world.write_text(text)
    process, _ = _serve(tmp_path, world, f"sqlite:///{tmp_path}/never.db")
    output, _ = process.communicate(timeout=START_SECONDS)
    assert process.returncode == 1
    assert f"{world}:{line_of(text, 'site: atlantis')}: accounts[2].site:" in output
    assert not (tmp_path / "never.db").exists()


def test_a_refused_world_stops_start_up_and_leaves_no_trace(tmp_path: Path) -> None:
    world = tmp_path / "refused.yaml"
    # SWAS does not share across sites: the last share is refused, so nothing is loaded.
    text = docs_world() + "  - swas_image: acme/golden-web\n    accounts: [initech]\n"
    world.write_text(text)
    database = f"sqlite:///{tmp_path}/refused.db"
    process, _ = _serve(tmp_path, world, database)
    output, _ = process.communicate(timeout=START_SECONDS)
    assert process.returncode == 1
    assert "was not loaded (the database is unchanged)" in output
    last_share = len(text.splitlines()) - 1
    assert f"{world}:{last_share}: shares[2]: InvalidImageId.BidMismatch" in output
    store = open_store(database)
    try:
        assert set(row_counts(store).values()) == {0}
    finally:
        store.dispose()
