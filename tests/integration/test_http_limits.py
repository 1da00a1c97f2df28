"""What the HTTP server refuses before the application runs (http/guarded.py): a request target
over 64 KiB (RequestURITooLong), a header block over 64 KiB (RequestHeaderTooLarge) and bytes
that are not HTTP (MalformedHTTPRequest), all 400 — each the error envelope the SDKs
parse, over a real socket, and the server goes on serving. docs/protocol.md, "Connections"."""

from __future__ import annotations

import json
import socket
from typing import Any

import pytest
from alibabacloud_ram20150501 import models as ram
from aliyunsdkcore.request import CommonRequest
from support.errors import old_error, tea_error
from support.world import World

from imageshare.http.guarded import MAX_HEADER_BYTES, MAX_TARGET_BYTES


def _exchange(world: World, chunks: list[bytes]) -> tuple[int, dict[str, str], bytes]:
    """Send ``chunks`` one by one on a new connection; the status, headers and body answered."""
    with socket.create_connection((world.host, world.port), timeout=30) as sock:
        try:
            for chunk in chunks:
                sock.sendall(chunk)
        except (BrokenPipeError, ConnectionResetError):
            pass  # refused mid-send: the answer was written before the connection closed
        received = b""
        try:
            while data := sock.recv(65536):
                received += data
        except ConnectionResetError:
            pass
    head, _, body = received.partition(b"\r\n\r\n")
    status_line, *lines = head.decode("latin-1").split("\r\n")
    headers = {name.lower(): value for name, value in (line.split(": ", 1) for line in lines)}
    return int(status_line.split()[1]), headers, body


def _envelope(world: World, chunks: list[bytes]) -> tuple[int, dict[str, Any]]:
    status, headers, body = _exchange(world, chunks)
    assert headers["content-type"].startswith("application/json"), (status, body[:200])
    reply: dict[str, Any] = json.loads(body)
    assert {"RequestId", "HostId", "Code", "Message", "Recommend"} <= reply.keys(), reply
    assert headers["x-acs-request-id"] == reply["RequestId"]
    return status, reply


def _get(target: bytes, *headers: bytes) -> bytes:
    lines = [b"GET " + target + b" HTTP/1.1", b"Host: x", *headers, b"Connection: close"]
    return b"\r\n".join(lines) + b"\r\n\r\n"


def _target(length: int) -> bytes:
    prefix = b"/?Action=ListRegions&Version=2020-06-01&Pad="
    return prefix + b"a" * (length - len(prefix))


def _header(length: int) -> bytes:
    """One header line of ``length`` bytes, CRLF included."""
    return b"X-Pad: " + b"a" * (length - len(b"X-Pad: \r\n"))


def test_a_target_at_the_limit_reaches_the_application(world: World) -> None:
    status, reply = _envelope(world, [_get(_target(MAX_TARGET_BYTES))])
    assert (status, reply["Code"]) == (400, "MissingParameter")  # the gateway's own checks


@pytest.mark.parametrize("length", [MAX_TARGET_BYTES + 1, 100_000, 1_000_000])
def test_an_over_long_target_is_refused(world: World, length: int) -> None:
    status, reply = _envelope(world, [_get(_target(length))])
    assert (status, reply["Code"]) == (400, "RequestURITooLong")
    assert str(MAX_TARGET_BYTES) in reply["Message"] and "POST body" in reply["Message"]


def test_an_over_long_target_in_small_pieces_is_refused(world: World) -> None:
    request = _get(_target(MAX_TARGET_BYTES + 1))
    pieces = [request[start : start + 1000] for start in range(0, len(request), 1000)]
    status, reply = _envelope(world, pieces)
    assert (status, reply["Code"]) == (400, "RequestURITooLong")


def test_headers_at_the_limit_reach_the_application(world: World) -> None:
    # The request line and Host / Connection lines count too: leave room for them.
    status, reply = _envelope(world, [_get(b"/", _header(MAX_HEADER_BYTES - 100))])
    assert (status, reply["Code"]) == (400, "MissingParameter")


@pytest.mark.parametrize(
    "headers",
    [
        pytest.param([_header(MAX_HEADER_BYTES + 100)], id="one long header"),
        pytest.param([_header(10_000_000)], id="one 10 MB header"),
        pytest.param([b"X-A: b"] * (MAX_HEADER_BYTES // 8 + 10), id="many short headers"),
    ],
)
def test_over_large_headers_are_refused(world: World, headers: list[bytes]) -> None:
    status, reply = _envelope(world, [_get(b"/", *headers)])
    assert (status, reply["Code"]) == (400, "RequestHeaderTooLarge")
    assert str(MAX_HEADER_BYTES) in reply["Message"]


def test_over_large_headers_in_small_pieces_are_refused(world: World) -> None:
    request = _get(b"/", _header(MAX_HEADER_BYTES + 100))
    pieces = [request[start : start + 4096] for start in range(0, len(request), 4096)]
    status, reply = _envelope(world, pieces)
    assert (status, reply["Code"]) == (400, "RequestHeaderTooLarge")


@pytest.mark.parametrize(
    "sent",
    [b"GET / HTTP/1.1\r\nHost x\r\n\r\n", b"\x00\x01\x02 junk\r\n\r\n", b"GET / HTTP/9.9\r\n\r\n"],
)
def test_bytes_that_are_not_http_are_refused(world: World, sent: bytes) -> None:
    status, reply = _envelope(world, [sent])
    assert (status, reply["Code"]) == (400, "MalformedHTTPRequest")


def test_a_body_after_headers_is_not_counted_as_headers(world: World) -> None:
    body = b"Pad=" + b"a" * (4 * MAX_HEADER_BYTES)
    request = (
        b"POST / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
        b"Content-Type: application/x-www-form-urlencoded\r\n"
        b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body
    )
    status, reply = _envelope(world, [request])
    assert (status, reply["Code"]) == (400, "MissingParameter")


def test_the_sdks_get_the_error_and_nothing_is_written(world: World) -> None:
    who = world.account()
    client = world.ram(who)
    comments = "c" * 100_000  # the tea SDK puts RPC parameters in the query string
    request = ram.CreateUserRequest(user_name="u1", comments=comments)
    tea = tea_error(lambda: client.create_user(request))
    assert (tea.status, tea.code) == (400, "RequestURITooLong")
    common = CommonRequest(domain="127.0.0.1", version="2015-05-01", action_name="CreateUser")
    common.set_protocol_type("http")
    common.add_query_param("UserName", "u2")
    common.add_query_param("Comments", comments)
    found = old_error(lambda: world.old(who).do_action_with_exception(common))
    assert (found.status, found.code) == (400, "RequestURITooLong")
    users = client.list_users(ram.ListUsersRequest()).body.users.user
    assert users == []
