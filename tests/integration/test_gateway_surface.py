"""Only what the gateway serves: RPC is GET or POST on "/"; anything else is a well-formed
error envelope. A form body is read only under its exact media type; an over-long body is
refused, never cut short."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any
from urllib.parse import urlencode

import pytest
from support.raw import now_stamp
from support.world import World

from imageshare.auth.signing import sign_rpc_params
from imageshare.http.asgi import MAX_BODY_BYTES


def _request(
    world: World, method: str, path: str, body: bytes = b"", headers: dict[str, str] | None = None
) -> tuple[int, dict[str, Any]]:
    url = f"http://{world.endpoint}{path}"
    request = urllib.request.Request(url, data=body or None, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            status, raw, kind = response.status, response.read(), response.headers
    except urllib.error.HTTPError as error:
        status, raw, kind = error.code, error.read(), error.headers
    assert kind["content-type"].startswith("application/json"), (status, raw[:200])
    reply: dict[str, Any] = json.loads(raw)
    assert isinstance(reply["RequestId"], str)
    return status, reply


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH", "OPTIONS"])
def test_other_methods_are_refused(world: World, method: str) -> None:
    status, body = _request(world, method, "/?Action=ListRegions&Version=2020-06-01")
    assert (status, body["Code"]) == (400, "UnsupportedHTTPMethod")
    assert method in body["Message"]
    assert body["HostId"] == "swas.cn-hangzhou.aliyuncs.com"


@pytest.mark.parametrize("path", ["/x", "/api/", "//", "/index.html"])
def test_other_paths_are_not_found(world: World, path: str) -> None:
    status, body = _request(world, "POST", path)
    assert (status, body["Code"]) == (404, "InvalidPath")


def _signed_form(world: World, *extra: tuple[str, str]) -> list[tuple[str, str]]:
    who = world.account()
    common = {
        "Action": "ListRegions",
        "Version": "2020-06-01",
        "Format": "JSON",
        "AccessKeyId": who.key_id,
        "SignatureMethod": "HMAC-SHA1",
        "SignatureVersion": "1.0",
        "SignatureNonce": "n-" + who.key_id,
        "Timestamp": now_stamp(),
    }
    params = [*common.items(), *extra]
    return sign_rpc_params(secret=who.secret, method="POST", params=params)


@pytest.mark.parametrize(
    ("content_type", "read"),
    [
        ("application/x-www-form-urlencoded", True),
        ("Application/X-WWW-Form-Urlencoded; charset=UTF-8", True),
        ("application/x-www-form-urlencodedXYZ", False),
        ("text/plain", False),
    ],
)
def test_a_form_body_is_read_only_under_its_media_type(
    world: World, content_type: str, read: bool
) -> None:
    body = urlencode(_signed_form(world)).encode()
    status, reply = _request(world, "POST", "/", body, {"content-type": content_type})
    if read:
        assert status == 200, reply
    else:  # the body is not parameters: the signature's parameters are missing
        assert (status, reply["Code"]) == (400, "MissingParameter"), reply


def test_an_over_long_body_is_refused_not_truncated(world: World) -> None:
    form = urlencode(_signed_form(world))
    body = (form + "&Pad=" + "p" * MAX_BODY_BYTES).encode()
    headers = {"content-type": "application/x-www-form-urlencoded"}
    status, reply = _request(world, "POST", "/", body, headers)
    assert (status, reply["Code"]) == (400, "RequestBodyTooLarge")
    assert str(MAX_BODY_BYTES) in reply["Message"]


def test_a_body_at_the_limit_is_read(world: World) -> None:
    size = len(urlencode(_signed_form(world, ("Pad", ""))))
    # 32 bytes of room: the signature's percent-encoded length varies from one nonce to another
    body = urlencode(_signed_form(world, ("Pad", "p" * (MAX_BODY_BYTES - size - 32)))).encode()
    assert MAX_BODY_BYTES - 64 <= len(body) <= MAX_BODY_BYTES
    headers = {"content-type": "application/x-www-form-urlencoded"}
    status, reply = _request(world, "POST", "/", body, headers)
    assert status == 200, reply
