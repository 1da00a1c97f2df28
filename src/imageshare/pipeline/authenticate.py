"""Authentication: the key or STS token exists and is usable, the signature verifies and the
timestamp is fresh. (The nonce is claimed by the store's request scope, store/request.py.)"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from imageshare.auth import signing
from imageshare.domain.principal import Principal, PrincipalType, decode_session
from imageshare.domain.times import wire_time
from imageshare.errors import (
    AccessKeyInactive,
    AccessKeyNotFound,
    MissingParameter,
    SecurityTokenExpired,
    SecurityTokenMalformed,
    SecurityTokenMismatch,
    SignatureDoesNotMatch,
    TimestampExpired,
)
from imageshare.pipeline.common import CallClaim, parse_timestamp
from imageshare.pipeline.wire import RawRequest
from imageshare.store.uow import UnitOfWork
from imageshare.values import frozen


@frozen
class Credential:
    principal: Principal
    secret: str
    now: datetime  # the request's moment on the server's clock (domain/times.ServerClock)
    # Whether any fault rule exists: read with the key, so a call with none pays no statement
    # for the fault check (pipeline/faults.py).
    fault_rules: bool = False


def check_timestamp(claim: CallClaim, real: datetime, max_skew: timedelta) -> None:
    """Against the real time, not the server's clock: the client signs with its own clock,
    which a test's frozen or advanced server clock does not move (docs/testing.md).

    :raises TimestampFormat, TimestampExpired:
    """
    sent = parse_timestamp(claim.timestamp)
    if abs(real - sent) > max_skew:
        raise TimestampExpired(value=claim.timestamp, now=wire_time(real))


def resolve_credential(uow: UnitOfWork, claim: CallClaim, real: datetime) -> Credential:
    """Find the secret behind the claimed key, and the server's time (read with it).

    :raises AccessKeyNotFound, AccessKeyInactive, MissingParameter,
        SecurityTokenMalformed, SecurityTokenMismatch, SecurityTokenExpired:
    """
    if claim.security_token is not None:
        return _sts_credential(uow, claim, claim.security_token, real)
    if claim.access_key_id.startswith("STS."):
        raise MissingParameter(name="SecurityToken")
    found = uow.access_keys.signing(claim.access_key_id)
    if found is None:
        raise AccessKeyNotFound()
    key, fault_rules, clock = found
    if not key.active:
        raise AccessKeyInactive()
    now = clock.now(real)
    if not key.user_name:
        root = Principal(key.account_id, PrincipalType.ROOT, key.id)
        return Credential(root, key.secret, now, fault_rules)
    user = _ram_user(uow, key.account_id, key.id, key.user_name)
    return Credential(user, key.secret, now, fault_rules)


def _ram_user(uow: UnitOfWork, account_id: int, key_id: str, name: str) -> Principal:
    """A RAM user's key: the user and its groups, resolved once for the whole request."""
    user = uow.ram_users.get(account_id, name)
    if user is None:  # deleted after the key was issued: nothing is attached to it
        return Principal(account_id, PrincipalType.USER, key_id, name)
    groups = tuple(uow.ram_groups.of_user(user.id))
    return Principal(
        account_id, PrincipalType.USER, key_id, name, user_id=user.id, group_ids=groups
    )


def _sts_credential(uow: UnitOfWork, claim: CallClaim, token: str, real: datetime) -> Credential:
    found = uow.security_tokens.signing(claim.access_key_id)
    if found is None:
        raise SecurityTokenMalformed()
    record, fault_rules, clock = found
    if not signing.signatures_equal(record.token, token):
        raise SecurityTokenMismatch()
    now = clock.now(real)  # a token expires on the server's clock: tests advance past it
    if record.expires_at <= now:
        raise SecurityTokenExpired()
    session = decode_session(record.account_id, record.access_key_id, record.principal)
    return Credential(session, record.secret, now, fault_rules)


def verify_signature(raw: RawRequest, claim: CallClaim, secret: str) -> None:
    """:raises SignatureDoesNotMatch: with the server's string to sign in the message."""
    if claim.authorization is not None:
        auth = claim.authorization
        # The body hash is computed, not trusted: a body changed in transit fails here.
        canonical = signing.acs3_canonical_request(
            raw.method,
            raw.path,
            raw.query_params(),
            raw.headers,
            auth.signed_headers,
            hashlib.sha256(raw.body).hexdigest(),
        )
        string_to_sign = signing.acs3_string_to_sign(canonical)
        expected = signing.acs3_signature(secret, string_to_sign)
        received = auth.signature
    else:
        string_to_sign = signing.rpc_string_to_sign(raw.method, claim.params)
        expected = signing.rpc_signature(secret, string_to_sign)
        received = dict(claim.params).get("Signature", "")
    if not signing.signatures_equal(expected, received):
        raise SignatureDoesNotMatch(string_to_sign=string_to_sign)
