"""Common parameters: which scheme signed the request, who claims to send it, and which action.

ACS3 requests (tea SDKs) carry these in ``x-acs-*`` headers and an Authorization header; RPC v1
requests (aliyun-python-sdk-core) carry them as parameters next to the business ones.
"""

from __future__ import annotations

import re
from datetime import datetime

from imageshare.auth.signing import (
    RPC_METHOD,
    RPC_VERSION,
    Acs3Authorization,
    parse_authorization,
)
from imageshare.errors import (
    AccessKeyNotFound,
    InvalidParameter,
    InvalidSignatureMethod,
    MissingParameter,
    SecurityTokenMalformed,
    TimestampFormat,
)
from imageshare.pipeline.wire import RawRequest
from imageshare.values import frozen

# Parameters that belong to the protocol, not to any action; never passed to a handler.
COMMON_PARAMS = frozenset(
    {
        "Action",
        "Version",
        "Format",
        "Timestamp",
        "SignatureMethod",
        "SignatureVersion",
        "SignatureNonce",
        "SignatureType",
        "AccessKeyId",
        "Signature",
        "SecurityToken",
    }
)

# Bounds on what a request says about itself, checked before anything is looked up or stored
# (docs/protocol.md, "Common parameters"). The SDKs send 32-36 character nonces and 24-30
# character key ids; the nonce ledger's column holds 128.
NONCE_MAX_CHARS = 128
ACCESS_KEY_ID_MAX_CHARS = 128
SECURITY_TOKEN_MAX_CHARS = 8192
_PRINTABLE_ASCII = re.compile(r"[\x21-\x7e]+", re.ASCII)

# ASCII digits only, and fullmatch: "$" would also accept a trailing newline.
_TIMESTAMP = re.compile(r"(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.\d{1,6})?Z", re.ASCII)


@frozen
class CallClaim:
    """What a request says about itself, before anything is verified."""

    scheme: str  # "ACS3" or "RPC"
    access_key_id: str
    action: str
    version: str
    timestamp: str
    nonce: str
    security_token: str | None
    params: list[tuple[str, str]]  # every parameter, as signed
    authorization: Acs3Authorization | None = None

    @property
    def business_params(self) -> list[tuple[str, str]]:
        return [(k, v) for k, v in self.params if k not in COMMON_PARAMS]


def peek_version(raw: RawRequest, params: list[tuple[str, str]]) -> str:
    """The API version, read without validation: enough to name the product in an error."""
    return raw.header("x-acs-version") or dict(params).get("Version", "")


def parse_claim(raw: RawRequest, params: list[tuple[str, str]]) -> CallClaim:
    """:raises MissingParameter, InvalidSignatureMethod, IncompleteSignature, InvalidParameter:"""
    authorization = raw.header("authorization")
    if authorization is not None:
        claim = _acs3_claim(raw, params, parse_authorization(authorization))
    else:
        claim = _rpc_claim(params)
    _check_claim(claim)
    return claim


def _check_claim(claim: CallClaim) -> None:
    """:raises InvalidParameter, AccessKeyNotFound: before any of it reaches the store."""
    acs3 = claim.scheme == "ACS3"
    nonce_name = "x-acs-signature-nonce" if acs3 else "SignatureNonce"
    if len(claim.nonce) > NONCE_MAX_CHARS or not _PRINTABLE_ASCII.fullmatch(claim.nonce):
        raise InvalidParameter(
            name=nonce_name,
            reason=f"Use 1 to {NONCE_MAX_CHARS} printable ASCII characters.",
        )
    key = claim.access_key_id
    # No key was ever issued in another form: not found, without asking the store.
    if len(key) > ACCESS_KEY_ID_MAX_CHARS or not _PRINTABLE_ASCII.fullmatch(key):
        raise AccessKeyNotFound()
    token = claim.security_token
    if token is not None and (
        len(token) > SECURITY_TOKEN_MAX_CHARS or not _PRINTABLE_ASCII.fullmatch(token)
    ):
        raise SecurityTokenMalformed()


def _acs3_claim(
    raw: RawRequest, params: list[tuple[str, str]], auth: Acs3Authorization
) -> CallClaim:
    def required(header: str) -> str:
        value = raw.header(header)
        if not value:
            raise MissingParameter(name=header)
        return value

    return CallClaim(
        scheme="ACS3",
        access_key_id=auth.access_key_id,
        action=required("x-acs-action"),
        version=required("x-acs-version"),
        timestamp=required("x-acs-date"),
        nonce=required("x-acs-signature-nonce"),
        security_token=raw.header("x-acs-security-token"),
        params=params,
        authorization=auth,
    )


def _rpc_claim(params: list[tuple[str, str]]) -> CallClaim:
    values = dict(params)

    def required(name: str) -> str:
        value = values.get(name)
        if not value:
            raise MissingParameter(name=name)
        return value

    required("Signature")
    method = required("SignatureMethod")
    if method != RPC_METHOD:
        raise InvalidSignatureMethod(method=method)
    if values.get("SignatureVersion", RPC_VERSION) != RPC_VERSION:
        raise InvalidParameter(name="SignatureVersion", reason="Only 1.0 is supported.")
    return CallClaim(
        scheme="RPC",
        access_key_id=required("AccessKeyId"),
        action=required("Action"),
        version=required("Version"),
        timestamp=required("Timestamp"),
        nonce=required("SignatureNonce"),
        security_token=values.get("SecurityToken"),
        params=params,
    )


def parse_timestamp(value: str) -> datetime:
    """A UTC ``YYYY-MM-DDThh:mm:ssZ`` (optionally with a fraction) as a naive UTC datetime;
    the fraction is dropped, as a skew measured in minutes does not need it.

    :raises TimestampFormat: anything else.
    """
    match = _TIMESTAMP.fullmatch(value)
    if not match:
        raise TimestampFormat(value=value)
    try:
        year, month, day, hour, minute, second = (int(g) for g in match.groups())
        return datetime(year, month, day, hour, minute, second)
    except ValueError:
        raise TimestampFormat(value=value) from None
