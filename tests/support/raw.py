"""Hand-signed requests over plain HTTP, for what no SDK will send: stale times, replays,
broken Authorization headers."""

from __future__ import annotations

import json
import secrets
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from imageshare.auth.signing import sign_acs3_headers, sign_rpc_params


@dataclass(frozen=True)
class RawReply:
    status: int
    body: dict[str, Any]
    headers: dict[str, str]


def now_stamp(offset_seconds: int = 0) -> str:
    moment = datetime.now(UTC).timestamp() + offset_seconds
    return datetime.fromtimestamp(moment, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def acs3_headers(
    endpoint: str,
    key_id: str,
    secret: str,
    action: str,
    version: str,
    query: list[tuple[str, str]],
    **header_overrides: str,
) -> dict[str, str]:
    headers = {
        "host": endpoint,
        "x-acs-action": action,
        "x-acs-version": version,
        "x-acs-date": now_stamp(),
        "x-acs-signature-nonce": secrets.token_hex(16),
        "accept": "application/json",
        **header_overrides,
    }
    return sign_acs3_headers(
        access_key_id=key_id, secret=secret, method="POST", query=query, headers=headers
    )


def rpc_params(
    key_id: str, secret: str, action: str, version: str, extra: list[tuple[str, str]], **over: str
) -> list[tuple[str, str]]:
    common = {
        "Action": action,
        "Version": version,
        "Format": "JSON",
        "AccessKeyId": key_id,
        "SignatureMethod": "HMAC-SHA1",
        "SignatureVersion": "1.0",
        "SignatureNonce": secrets.token_hex(16),
        "Timestamp": now_stamp(),
        **over,
    }
    return sign_rpc_params(secret=secret, method="POST", params=[*common.items(), *extra])


def send(
    endpoint: str, query: list[tuple[str, str]], headers: dict[str, str] | None = None
) -> RawReply:
    url = f"http://{endpoint}/?{urlencode(query)}"
    request = urllib.request.Request(url, data=b"", headers=headers or {}, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return RawReply(response.status, json.loads(response.read()), dict(response.headers))
    except urllib.error.HTTPError as error:
        return RawReply(error.code, json.loads(error.read()), dict(error.headers))
