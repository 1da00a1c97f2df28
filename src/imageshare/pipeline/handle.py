"""The pipeline: request id -> common params -> authenticate -> route -> validate -> authorise
-> [idempotency + action, one write transaction] -> envelope. Errors reach the wire only here.

Which transactions run the steps is the store's business (``Store.request``, store/request.py):
this module has no database branch."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from pydantic import BaseModel

from imageshare.api.registry import Action, Call, Registry
from imageshare.config import Settings
from imageshare.domain.ids import new_request_id
from imageshare.domain.principal import Principal
from imageshare.domain.times import utcnow
from imageshare.errors import InternalError, ServiceError, ServiceUnavailable, SignatureNonceUsed
from imageshare.pipeline import authenticate as authn
from imageshare.pipeline.authorise import authorise, needs_authorisation
from imageshare.pipeline.common import CallClaim, parse_claim, peek_version
from imageshare.pipeline.execute import execute
from imageshare.pipeline.faults import FaultInjector, refusal
from imageshare.pipeline.params import parse
from imageshare.pipeline.recording import TrailRecorder
from imageshare.pipeline.throttle import Throttle
from imageshare.pipeline.token_pruning import TokenPruner
from imageshare.pipeline.trace import Trace
from imageshare.pipeline.wire import RawRequest, WireResponse, failure, success
from imageshare.store.database import Store
from imageshare.store.health import FileIdentity, describe, is_unavailable
from imageshare.store.request import Nonce, RequestScope
from imageshare.store.uow import UnitOfWork
from imageshare.values import frozen

log = logging.getLogger("imageshare.pipeline")


@frozen
class Routed:
    """The routed, validated call, or why there is none: routing and validation are pure,
    so they run before any transaction, and their error is raised only once the caller is
    authenticated, so errors keep the order the steps are documented in."""

    action: Action[Any] | None
    request: BaseModel | None
    error: Exception | None = None

    @property
    def changes(self) -> bool:
        """A valid call of an action that changes state."""
        return self.action is not None and self.action.mutating

    def unwrap(self) -> tuple[Action[Any], BaseModel]:
        if self.action is None or self.request is None:
            assert self.error is not None
            raise self.error
        return self.action, self.request


@frozen
class _Request:
    """What every step of one request needs."""

    raw: RawRequest
    claim: CallClaim
    now: datetime
    request_id: str
    trace: Trace


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
        # Now, so a SQLite nonce ledger made for another clock skew stops the server at start-up.
        store.keep_nonces(self._skew)
        self._trail = TrailRecorder(
            registry, store, settings.trail_retention_days, enabled=settings.audit_trail
        )
        self._file = FileIdentity.of(store.engine)
        self._tokens = TokenPruner(store, settings.client_token_window_seconds)
        self._faults = FaultInjector(store)
        self._throttle = Throttle.of(settings)  # None unless asked for: nothing per call

    def database_problem(self) -> str | None:
        """Why the database must not take writes now (SQLite: it is no longer the file this
        server opened), or None."""
        return self._file.problem() if self._file is not None else None

    def handle(self, raw: RawRequest, trace: Trace | None = None) -> WireResponse:
        """Answer one request; ``trace`` (if given) is filled in with what it did."""
        trace = trace if trace is not None else Trace()
        request_id = trace.request_id = new_request_id()
        params: list[tuple[str, str]] = []
        try:
            params = raw.params()
            response = success(request_id, self._run_once_more(raw, params, trace))
        except ServiceError as error:
            trace.error = error
            response = self._failure(raw, params, request_id, error)
        except Exception:
            log.exception("internal error, RequestId %s", request_id)
            trace.error = InternalError()
            response = self._failure(raw, params, request_id, trace.error)
        trace.status = response.status
        if trace.principal is not None and (trace.error is not None or not trace.recorded):
            self._trail.later(raw, trace)
        return response

    def refuse(
        self, raw: RawRequest, error: ServiceError, trace: Trace | None = None
    ) -> WireResponse:
        """The error envelope for a request the HTTP layer refused before the pipeline."""
        trace = trace if trace is not None else Trace()
        trace.request_id, trace.error = new_request_id(), error
        response = self._failure(raw, raw.query_params(), trace.request_id, error)
        trace.status = response.status
        return response

    def _run_once_more(self, raw: RawRequest, params: list[tuple[str, str]], trace: Trace) -> Any:
        """``_run``; if the database was unavailable (a connection the server cut, a full or
        read-only disk), once more on a new connection, then a retryable ServiceUnavailable,
        never a 500 (docs/admin.md, "Faults").

        A retry cannot apply a change twice: a change commits with its nonce claim, so if the
        first attempt did commit, the retry finds the nonce used and answers unavailable."""
        try:
            return self._run(raw, params, trace)
        except Exception as error:
            if not is_unavailable(error):
                raise
            _log_unavailable("database unavailable", trace, error)
        try:
            return self._run(raw, params, trace)
        except SignatureNonceUsed:
            raise ServiceUnavailable() from None
        except Exception as error:
            if not is_unavailable(error):
                raise
            _log_unavailable("database still unavailable", trace, error)
            raise ServiceUnavailable() from error

    def _refuse_writes_if_moved(self) -> None:
        """:raises ServiceUnavailable: the SQLite file was deleted or replaced; a write would
        go to a file no restart will see, acknowledged and lost."""
        problem = self.database_problem()
        if problem is not None:
            log.error("refusing writes: %s", problem)
            raise ServiceUnavailable()

    def _run(self, raw: RawRequest, params: list[tuple[str, str]], trace: Trace) -> Any:
        """The documented steps; the store's request scope runs them in its transactions.

        The timestamp and the nonce follow the real time, as the client's clock does;
        everything after authentication the server's clock, read with the credential."""
        claim = parse_claim(raw, params)
        trace.claim(claim.version, claim.action)
        trace.call_claim = claim
        real = trace.now = self.clock()
        authn.check_timestamp(claim, real, self._skew)
        routed = self._route(claim, trace)
        if routed.action is not None and routed.action.reads_trail:
            self.store.trail.flush()  # so the caller's own recent reads are there to find
        nonce = Nonce(claim.access_key_id, claim.nonce, real)
        with self.store.request(nonce, changes=routed.changes) as scope:
            credential = scope.authenticate(lambda uow: _authenticate(uow, raw, claim, trace))
            principal, now = credential.principal, credential.now
            req = _Request(raw, claim, now, trace.request_id, trace)
            action, request = routed.unwrap()
            if self._throttle is not None:
                self._throttle.check(action.ram_action, principal.account_id)
            if credential.fault_rules:  # read with the key: no statement when there are none
                self._inject_fault(scope, action, principal, request, trace)
            if needs_authorisation(principal, action):  # root callers need none: no step
                scope.read(lambda uow: authorise(self._call(uow, principal, req), action, request))
            if routed.changes:
                self._refuse_writes_if_moved()
            record = self._trail.with_change(raw, trace) if action.mutating else None
            result = scope.act(
                lambda uow: execute(self._call(uow, principal, req), action, request, record)
            )
        self._tokens.maybe_prune(now)
        return result

    def _inject_fault(
        self,
        scope: RequestScope,
        action: Action[Any],
        principal: Principal,
        request: BaseModel,
        trace: Trace,
    ) -> None:
        """:raises InjectedFault: a fault rule fired that answers an error or no answer."""
        region = getattr(request, "region_id", None)
        product, account = action.product.code, principal.account_id
        fault = scope.read(
            lambda uow: self._faults.check(uow, product, action.name, account, region)
        )
        if fault is not None:
            trace.fault = fault
            error = refusal(fault)
            if error is not None:
                raise error

    def _call(self, uow: UnitOfWork, principal: Principal, req: _Request) -> Call:
        return Call(
            uow,
            principal,
            self.settings,
            req.now,
            req.request_id,
            source_ip=req.raw.client_ip,
            secure_transport=req.raw.scheme == "https",
            host=req.raw.header("host") or "",
        )

    def _route(self, claim: CallClaim, trace: Trace) -> Routed:
        product = self.registry.product(claim.version)
        trace.product = product.code if product else ""
        try:
            action = self.registry.lookup(claim.version, claim.action)
            trace.routed, trace.writes = True, action.mutating
            trace.request = parse(action.request, claim.business_params)
            return Routed(action, trace.request)
        except Exception as error:  # raised by Routed.unwrap, after authentication
            return Routed(None, None, error)

    def _failure(
        self, raw: RawRequest, params: list[tuple[str, str]], request_id: str, error: ServiceError
    ) -> WireResponse:
        product = self.registry.product(peek_version(raw, params))
        region = dict(params).get("RegionId")
        host = product.host(region) if product else "imageshare"
        code = product.code.upper() if product else "IMAGESHARE"
        return failure(request_id, host, code, error)


def _authenticate(
    uow: UnitOfWork, raw: RawRequest, claim: CallClaim, trace: Trace
) -> authn.Credential:
    """The caller, the request's moment on the server's clock, and whether fault rules exist;
    nothing is written unless every check passes. ``trace.now`` holds the real time until
    the clock is read."""
    assert trace.now is not None
    credential = authn.resolve_credential(uow, claim, trace.now)
    trace.now = credential.now
    authn.verify_signature(raw, claim, credential.secret)
    trace.principal = credential.principal
    return credential


def _log_unavailable(what: str, trace: Trace, error: Exception) -> None:
    log.warning("%s, RequestId %s: %s", what, trace.request_id, describe(error))
