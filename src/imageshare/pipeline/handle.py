"""The pipeline: request id -> common params -> authenticate -> route -> validate -> authorise
-> [idempotency + action, one transaction] -> envelope. Errors reach the wire only here."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from imageshare.api.registry import Call, Registry
from imageshare.config import Settings
from imageshare.domain.ids import new_request_id
from imageshare.domain.principal import Principal
from imageshare.errors import InternalError, ServiceError
from imageshare.pipeline import authenticate as authn
from imageshare.pipeline.authorise import authorise
from imageshare.pipeline.common import CallClaim, parse_claim, peek_version
from imageshare.pipeline.execute import execute
from imageshare.pipeline.params import decode, validate
from imageshare.pipeline.wire import RawRequest, WireResponse, failure, success
from imageshare.store.uow import Store

log = logging.getLogger("imageshare.pipeline")

# Nonces older than twice the allowed skew can never be replayed: their timestamp is stale.
_NONCE_PRUNE_EVERY = 1000


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


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
        principal = self._authenticate(raw, claim, now)
        action = self.registry.lookup(claim.version, claim.action)
        request = validate(action.request, decode(claim.business_params))
        with self.store.unit_of_work(write=action.mutating) as uow:
            call = Call(uow, principal, self.settings, now, request_id)
            authorise(call, action, request)
            return execute(call, action, request)

    def _authenticate(self, raw: RawRequest, claim: CallClaim, now: datetime) -> Principal:
        authn.check_timestamp(claim, now, self._skew)
        with self.store.unit_of_work(write=True) as uow:
            credential = authn.resolve_credential(uow, claim, now)
            authn.verify_signature(raw, claim, credential.secret)
            authn.claim_nonce(uow, claim, now)
            self._maybe_prune_nonces(uow, now)
            uow.commit()
        return credential.principal

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
