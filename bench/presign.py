"""Pre-signed raw HTTP/1.1 requests, byte for byte what the official SDKs send.

Each request gets its own nonce and timestamp when it is built, so the server's replay
protection stays on for the whole run; building happens before the timed window, so the
client's signing time is never charged to the server. The header sets copy the captures in
``tests/vectors/sdk-captures.txt``: the tea SDKs (ACS3-HMAC-SHA256, parameters in the query
string) and aliyun-python-sdk-core (RPC v1 HMAC-SHA1, ``Signature`` among the parameters).
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Sequence
from dataclasses import dataclass

from imageshare.auth.signing import percent_encode, sign_acs3_headers, sign_rpc_params

TEA_USER_AGENT = "AlibabaCloud (Linux; x86_64) Python/3.11.7 Core/0.4.3 TeaDSL/2"
CORE_USER_AGENT = "AlibabaCloud (Linux;x86_64) Python/3.11.7 Core/2.16.1 python-requests/2.18.3"
SCHEMES = ("acs3", "rpc")


@dataclass(frozen=True)
class Credentials:
    key_id: str
    secret: str


@dataclass(frozen=True)
class ApiCall:
    """One RPC action with its business parameters, as the SDK flattens them."""

    action: str
    version: str
    params: tuple[tuple[str, str], ...]


def wire_timestamp(moment: float | None = None) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(moment))


def encode_query(pairs: Sequence[tuple[str, str]]) -> str:
    return "&".join(f"{percent_encode(k)}={percent_encode(v)}" for k, v in pairs)


def _message(request_line: str, headers: Sequence[tuple[str, str]]) -> bytes:
    lines = [request_line, *(f"{name}: {value}" for name, value in headers)]
    return ("\r\n".join(lines) + "\r\ncontent-length: 0\r\n\r\n").encode("latin-1")


def acs3_request(host: str, who: Credentials, call: ApiCall) -> bytes:
    """A tea-SDK request: action and version in headers, ``Authorization: ACS3-HMAC-SHA256``."""
    headers = {
        "host": host,
        "x-acs-version": call.version,
        "x-acs-action": call.action,
        "user-agent": TEA_USER_AGENT,
        "x-acs-date": wire_timestamp(),
        "x-acs-signature-nonce": secrets.token_hex(16),
        "accept": "application/json",
        "x-acs-credentials-provider": "static_ak",
    }
    signed = sign_acs3_headers(
        access_key_id=who.key_id,
        secret=who.secret,
        method="POST",
        query=call.params,
        headers=headers,
    )
    request_line = f"POST /?{encode_query(call.params)} HTTP/1.1"
    return _message(request_line, [("accept-encoding", "identity"), *signed.items()])


def rpc_request(host: str, who: Credentials, call: ApiCall) -> bytes:
    """An aliyun-python-sdk-core request: every parameter, ``Signature`` too, in the query."""
    common = [
        ("Version", call.version),
        ("Action", call.action),
        ("Format", "JSON"),
        ("Timestamp", wire_timestamp()),
        ("SignatureMethod", "HMAC-SHA1"),
        ("SignatureType", ""),
        ("SignatureVersion", "1.0"),
        ("SignatureNonce", secrets.token_hex(16)),
        ("AccessKeyId", who.key_id),
    ]
    signed = sign_rpc_params(secret=who.secret, method="POST", params=[*call.params, *common])
    headers = [
        ("Host", host),
        ("User-Agent", CORE_USER_AGENT),
        ("Accept-Encoding", "identity"),
        ("Accept", "*/*"),
        ("Connection", "keep-alive"),
        ("x-acs-action", call.action),
        ("x-acs-version", call.version),
        ("x-sdk-invoke-type", "normal"),
        ("x-sdk-client", "python/2.0.0"),
    ]
    return _message(f"POST /?{encode_query(signed)} HTTP/1.1", headers)


def signed_request(scheme: str, host: str, who: Credentials, call: ApiCall) -> bytes:
    """:raises ValueError: unknown scheme."""
    if scheme == "acs3":
        return acs3_request(host, who, call)
    if scheme == "rpc":
        return rpc_request(host, who, call)
    raise ValueError(f"unknown signature scheme {scheme!r}: use one of {', '.join(SCHEMES)}")
