"""The pipeline: request id -> common params -> authenticate -> route -> validate -> authorise
-> [idempotency + action, one transaction] -> envelope. Errors reach the wire only here."""

from __future__ import annotations

import logging
from collections.abc import Callable
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
from imageshare.pipeline.wire import RawRequest, WireResponse, failure, success
from imageshare.store.uow import Store, UnitOfWork

log = logging.getLogger("imageshare.pipeline")

# Nonces older than twice the allowed skew can never be replayed: their timestamp is stale.
_NONCE_PRUNE_EVERY = 1000


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _unwrap(prepared: tuple[Action, BaseModel] | Exception) -> tuple[Action, BaseModel]:
    if isinstance(prepared, Exception):
        raise prepared
    return prepared


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
        self._requests = 0

    def handle(self, raw: RawRequest) -> WireResponse:
        request_id = new_request_id()
        params: list[tuple[str, str]] = []
        try:
            params = raw.params()
            return success(request_id, self._run(raw, params, request_id))
        except ServiceError as error:
            return self._failure(raw, params, request_id, error)
        except Exception:
            log.exception("internal error, RequestId %s", request_id)
            return self._failure(raw, params, request_id, InternalError())

    def _run(self, raw: RawRequest, params: list[tuple[str, str]], request_id: str) -> Any:
        claim = parse_claim(raw, params)
        now = self.clock()
        authn.check_timestamp(claim, now, self._skew)
        # Routing and validation are pure, so they run before any transaction; their error is
        # raised only once the caller is authenticated, so errors keep the order the steps are
        # documented in.
        prepared = self._prepare(claim)
        with self.store.connect() as conn:
            if not self.store.single_writer:
                # PostgreSQL locks rows, not the database: one transaction, fewest round trips.
                return self._change(conn, raw, claim, now, request_id, prepared)
            # SQLite has one writer: its lock is taken for the writes alone.
            if isinstance(prepared, Exception) or not prepared[0].mutating:
                return self._read(conn, raw, claim, now, request_id, prepared)
            with self.store.unit_of_work(connection=conn) as uow:
                principal = self._authenticate(uow, raw, claim, now)
            return self._change(conn, raw, claim, now, request_id, prepared, principal)

    def _authenticate(
        self, uow: UnitOfWork, raw: RawRequest, claim: CallClaim, now: datetime
    ) -> Principal:
        """In a read transaction: SQLite's write lock is not held while the signature is
        checked. Nothing is written unless every check passes."""
        credential = authn.resolve_credential(uow, claim, now)
        authn.verify_signature(raw, claim, credential.secret)
        return credential.principal

    def _read(
        self,
        conn: Connection,
        raw: RawRequest,
        claim: CallClaim,
        now: datetime,
        request_id: str,
        prepared: tuple[Action, BaseModel] | Exception,
    ) -> Any:
        """One read transaction for the key and the action, then the nonce claim in a short
        write transaction of its own. The action's outcome, answer or error, waits for the
        claim, so a replayed request is refused before anything else is said."""
        with self.store.unit_of_work(connection=conn) as uow:
            principal = self._authenticate(uow, raw, claim, now)
            try:
                outcome = self._act(uow, principal, raw, now, request_id, *_unwrap(prepared))
            except Exception as error:
                outcome = error
        self._claim_nonce(conn, claim, now)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    def _change(
        self,
        conn: Connection,
        raw: RawRequest,
        claim: CallClaim,
        now: datetime,
        request_id: str,
        prepared: tuple[Action, BaseModel] | Exception,
        principal: Principal | None = None,
    ) -> Any:
        """The nonce claim and the action in one write transaction; the caller is
        authenticated in it too unless ``principal`` says who it is already."""
        authenticated = principal is not None
        try:
            with self.store.unit_of_work(write=True, connection=conn) as uow:
                if principal is None:
                    principal = self._authenticate(uow, raw, claim, now)
                    authenticated = True
                authn.claim_nonce(uow, claim, now)
                self._maybe_prune_nonces(uow, now)
                action, request = _unwrap(prepared)
                return self._act(uow, principal, raw, now, request_id, action, request)
        except SignatureNonceUsed:
            raise
        except Exception:
            if authenticated:
                # A request that failed after authentication still used up its nonce, as at
                # the real gateway: the rolled-back claim is made again on its own.
                self._keep_nonce(conn, claim, now)
            raise

    def _act(
        self,
        uow: UnitOfWork,
        principal: Principal,
        raw: RawRequest,
        now: datetime,
        request_id: str,
        action: Action,
        request: BaseModel,
    ) -> Any:
        call = Call(
            uow,
            principal,
            self.settings,
            now,
            request_id,
            source_ip=raw.client_ip,
            secure_transport=raw.scheme == "https",
        )
        authorise(call, action, request)
        return execute(call, action, request)

    def _prepare(self, claim: CallClaim) -> tuple[Action, BaseModel] | Exception:
        try:
            action = self.registry.lookup(claim.version, claim.action)
            return action, validate(action.request, decode(claim.business_params))
        except Exception as error:  # raised by _unwrap, after authentication
            return error

    def _claim_nonce(self, conn: Connection, claim: CallClaim, now: datetime) -> None:
        """Its own short write transaction, so a read holds SQLite's write lock for
        microseconds, not for the whole action."""
        with self.store.unit_of_work(write=True, connection=conn) as uow:
            authn.claim_nonce(uow, claim, now)
            self._maybe_prune_nonces(uow, now)
            uow.commit()

    def _keep_nonce(self, conn: Connection, claim: CallClaim, now: datetime) -> None:
        try:
            with self.store.unit_of_work(write=True, connection=conn) as uow:
                uow.nonces.claim(claim.access_key_id, claim.nonce, now)
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
