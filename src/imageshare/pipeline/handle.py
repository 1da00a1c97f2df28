"""The pipeline: request id -> common params -> authenticate -> route -> validate -> authorise
-> [idempotency + action, one write transaction] -> envelope. Errors reach the wire only here.

Transactions per request: docs/architecture.md ("Store")."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from pydantic import BaseModel
from sqlalchemy import Connection

from imageshare.api.registry import Action, Call, Registry
from imageshare.config import Settings
from imageshare.domain.ids import new_request_id
from imageshare.domain.principal import Principal
from imageshare.errors import InternalError, ServiceError, SignatureNonceUsed
from imageshare.pipeline import authenticate as authn
from imageshare.pipeline.authorise import authorise
from imageshare.pipeline.common import CallClaim, parse_claim, peek_version
from imageshare.pipeline.execute import execute
from imageshare.pipeline.params import decode, validate
from imageshare.pipeline.trace import Trace
from imageshare.pipeline.wire import RawRequest, WireResponse, failure, success
from imageshare.store.ledger import NonceLedger, period_for
from imageshare.store.uow import Store, UnitOfWork

log = logging.getLogger("imageshare.pipeline")

# PostgreSQL: nonces older than twice the allowed skew can never be replayed (their timestamp
# is stale), so every thousandth request deletes them. SQLite's ledger empties whole tables.
_NONCE_PRUNE_EVERY = 1000


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


Routed = tuple[Action, BaseModel] | Exception  # the routed, validated call, or why not


@dataclass(frozen=True)
class _Request:
    """What every step of one request needs."""

    raw: RawRequest
    claim: CallClaim
    now: datetime
    request_id: str
    prepared: Routed
    trace: Trace


def _unwrap(prepared: Routed) -> tuple[Action, BaseModel]:
    if isinstance(prepared, Exception):
        raise prepared
    return prepared


def _changes(req: _Request) -> bool:
    """The request is a routed, valid call of an action that changes state."""
    return not isinstance(req.prepared, Exception) and req.prepared[0].mutating


class Pipeline:
    def __init__(
        self,
        settings: Settings,
        store: Store,
        registry: Registry,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.settings = settings
        self.store = store
        self.registry = registry
        self.clock = clock
        self._skew = timedelta(seconds=settings.max_clock_skew_seconds)
        # Opened now, so a ledger made for another clock skew stops the server at start-up.
        self._ledger = store.nonce_ledger(period_for(self._skew)) if store.single_writer else None
        self._requests = 0

    def handle(self, raw: RawRequest, trace: Trace | None = None) -> WireResponse:
        """Answer one request; ``trace`` (if given) is filled in with what it did."""
        trace = trace if trace is not None else Trace()
        request_id = trace.request_id = new_request_id()
        params: list[tuple[str, str]] = []
        try:
            params = raw.params()
            response = success(request_id, self._run(raw, params, trace))
        except ServiceError as error:
            trace.error = error
            response = self._failure(raw, params, request_id, error)
        except Exception:
            log.exception("internal error, RequestId %s", request_id)
            trace.error = InternalError()
            response = self._failure(raw, params, request_id, trace.error)
        trace.status = response.status
        return response

    def _run(self, raw: RawRequest, params: list[tuple[str, str]], trace: Trace) -> Any:
        claim = parse_claim(raw, params)
        trace.claim(claim.version, claim.action)
        now = self.clock()
        authn.check_timestamp(claim, now, self._skew)
        # Routing and validation are pure, so they run before any transaction; their error is
        # raised only once the caller is authenticated, so errors keep the order the steps are
        # documented in.
        req = _Request(raw, claim, now, trace.request_id, self._prepare(claim, trace), trace)
        with self.store.connect() as conn:
            if self._ledger is not None:  # SQLite
                return self._read_then_write(conn, req, self._ledger)
            if not _changes(req):
                return self._read_by_statement(conn, req)
            # PostgreSQL locks rows, not the database: one transaction, fewest round trips.
            return self._change(conn, req)

    def _authenticate(self, uow: UnitOfWork, req: _Request) -> Principal:
        """Nothing is written unless every check passes."""
        credential = authn.resolve_credential(uow, req.claim, req.now)
        authn.verify_signature(req.raw, req.claim, credential.secret)
        req.trace.principal = credential.principal
        return credential.principal

    def _read_then_write(self, conn: Connection, req: _Request, ledger: NonceLedger) -> Any:
        """SQLite, which has one writer: the key and signature are checked in a read
        transaction; the nonce is claimed in the ledger, a file and transaction of its own,
        before the action runs, so a replay is refused first and a request that fails later
        has still used up its nonce; then a read runs in the same read transaction, and a
        change in a write transaction holding the lock for the ClientToken claim and the
        change alone."""
        with self.store.unit_of_work(connection=conn) as uow:
            principal = self._authenticate(uow, req)
            if not ledger.claim(req.claim.access_key_id, req.claim.nonce, req.now):
                raise SignatureNonceUsed()
            if not _changes(req):
                return self._act(uow, principal, req)
        with self.store.unit_of_work(write=True, connection=conn) as uow:
            return self._act(uow, principal, req)

    def _read_by_statement(self, conn: Connection, req: _Request) -> Any:
        """PostgreSQL, a read (or a request that will fail validation): no transaction, each
        statement commits on its own, two round trips fewer than BEGIN ... COMMIT. The nonce
        claim is committed as it is made, so a request that fails after it has used it up."""
        with self.store.unit_of_work(connection=conn, autocommit=True) as uow:
            principal = self._authenticate(uow, req)
            self._claim_in(uow, req)
            return self._act(uow, principal, req)

    def _change(self, conn: Connection, req: _Request) -> Any:
        """PostgreSQL: authentication, the nonce claim and the action in one transaction."""
        authenticated = False
        try:
            with self.store.unit_of_work(write=True, connection=conn) as uow:
                principal = self._authenticate(uow, req)
                authenticated = True
                self._claim_in(uow, req)
                return self._act(uow, principal, req)
        except SignatureNonceUsed:
            raise
        except Exception:
            if authenticated:
                # A request that failed after authentication still used up its nonce, as at
                # the real gateway: the rolled-back claim is made again on its own.
                self._keep_nonce(conn, req)
            raise

    def _act(self, uow: UnitOfWork, principal: Principal, req: _Request) -> Any:
        action, request = _unwrap(req.prepared)
        call = Call(
            uow,
            principal,
            self.settings,
            req.now,
            req.request_id,
            source_ip=req.raw.client_ip,
            secure_transport=req.raw.scheme == "https",
            host=req.raw.header("host") or "",
        )
        authorise(call, action, request)
        return execute(call, action, request)

    def _prepare(self, claim: CallClaim, trace: Trace) -> Routed:
        product = self.registry.product(claim.version)
        trace.product = product.code if product else ""
        try:
            action = self.registry.lookup(claim.version, claim.action)
            trace.routed = True
            return action, validate(action.request, decode(claim.business_params))
        except Exception as error:  # raised by _unwrap, after authentication
            return error

    def _claim_in(self, uow: UnitOfWork, req: _Request) -> None:
        """:raises SignatureNonceUsed:"""
        authn.claim_nonce(uow, req.claim, req.now)
        self._maybe_prune_nonces(uow, req.now)

    def _keep_nonce(self, conn: Connection, req: _Request) -> None:
        try:
            with self.store.unit_of_work(write=True, connection=conn) as uow:
                uow.nonces.claim(req.claim.access_key_id, req.claim.nonce, req.now)
                uow.commit()
        except Exception:  # the request's own error is the one to report
            log.exception("could not record the nonce of a failed request")

    def _maybe_prune_nonces(self, uow: Any, now: datetime) -> None:
        self._requests += 1
        if self._requests % _NONCE_PRUNE_EVERY == 0:
            uow.nonces.forget_before(now - 2 * self._skew - timedelta(minutes=1))

    def _failure(
        self, raw: RawRequest, params: list[tuple[str, str]], request_id: str, error: ServiceError
    ) -> WireResponse:
        product = self.registry.product(peek_version(raw, params))
        region = dict(params).get("RegionId")
        host = product.host(region) if product else "imageshare"
        code = product.code.upper() if product else "IMAGESHARE"
        return failure(request_id, host, code, error)
