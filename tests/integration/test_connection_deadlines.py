"""Connections that send nothing, or stall in their headers or body, are closed once a request
has not arrived whole within the deadline (http/guarded.py); the server goes on serving."""

from __future__ import annotations

import socket
import time

import pytest
from alibabacloud_swas_open20200601 import models as swas
from support.world import World

from imageshare.http import guarded

DEADLINE = 0.5

STALLS = {
    "nothing": b"",
    "half a request line": b"POST /?Action=List",
    "half the headers": b"POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-",
    "half the body": (
        b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n"
        b"Content-Type: application/x-www-form-urlencoded\r\n\r\nAction=ListRegions"
    ),
}


def _closed_within(sock: socket.socket, seconds: float) -> bool:
    sock.settimeout(seconds)
    try:
        while sock.recv(4096):
            pass  # uvicorn may answer a half-parsed request with 400 first
        return True
    except TimeoutError:
        return False
    except ConnectionResetError:
        return True


@pytest.mark.parametrize("sent", sorted(STALLS))
def test_a_stalled_connection_is_closed(
    world: World, monkeypatch: pytest.MonkeyPatch, sent: str
) -> None:
    monkeypatch.setattr(guarded, "REQUEST_SECONDS", DEADLINE)
    with socket.create_connection((world.host, world.port)) as sock:
        sock.sendall(STALLS[sent])
        started = time.monotonic()
        assert _closed_within(sock, 10 * DEADLINE), "still open"
        assert time.monotonic() - started >= DEADLINE / 2
    client = world.swas(world.account())
    assert client.list_regions(swas.ListRegionsRequest()).status_code == 200
