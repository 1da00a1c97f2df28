"""Each authenticated call's audit event (docs/actiontrail.md): a change's written in its own
transaction, just before it commits; a read's or a failed call's handed to the batch writer
(store/trail_buffer.py) as a tuple of plain values.

Recording is paid on every call, so what an action's events share (names, endpoint, which
request fields name the resource) is worked out once per action when the server starts."""

from __future__ import annotations

import logging
from typing import Any

from imageshare.api.registry import Registry
from imageshare.domain.audit import CallFacts, EventKind, event_kind, event_values
from imageshare.pipeline.execute import Recorder
from imageshare.pipeline.trace import Trace
from imageshare.pipeline.wire import RawRequest
from imageshare.store.database import Store
from imageshare.store.uow import UnitOfWork

log = logging.getLogger("imageshare.pipeline")


def _no_host(_region: str | None) -> str:
    return "imageshare"


class TrailRecorder:
    def __init__(
        self, registry: Registry, store: Store, retention_days: int, enabled: bool = True
    ) -> None:
        from datetime import timedelta

        self.enabled = enabled
        self._registry = registry
        self._store = store
        store.trail.retention = timedelta(days=retention_days)
        self._kinds = {
            (action.product.version, action.name): event_kind(
                action.product.code,
                action.product.version,
                action.name,
                writes=action.mutating,
                host=action.product.host,
                fields=action.request.model_fields.keys(),
            )
            for action in registry
        }

    def with_change(self, raw: RawRequest, trace: Trace) -> Recorder | None:
        """Writes the event into the change's unit of work (execute calls it before commit);
        None when the trail is off."""
        if not self.enabled:
            return None

        def record(uow: UnitOfWork, answer: dict[str, Any]) -> None:
            made = answer.get("ImageId")
            facts = self._facts(trace, raw, made if isinstance(made, str) else None)
            uow.trail.add([event_values(facts)])
            trace.recorded = True

        return record

    def later(self, raw: RawRequest, trace: Trace) -> None:
        """A read's or a failed call's event, for the batch writer."""
        if not self.enabled:
            return
        try:
            self._store.trail.add(event_values(self._facts(trace, raw)))
        except Exception:  # the answer is ready; a lost event must not turn it into a 500
            log.exception("could not record the audit event of RequestId %s", trace.request_id)

    def _facts(self, trace: Trace, raw: RawRequest, made: str | None = None) -> CallFacts:
        assert trace.principal is not None and trace.call_claim is not None
        assert trace.now is not None
        return CallFacts(
            self._kind(trace),
            trace.request_id,
            trace.now,
            trace.principal,
            trace.call_claim.business_params,
            trace.request,
            raw.client_ip,
            (raw.header("user-agent") or "")[:512],
            trace.error,
            made,
        )

    def _kind(self, trace: Trace) -> EventKind:
        kind = self._kinds.get((trace.version, trace.action)) if trace.routed else None
        if kind is not None:
            return kind
        # A call of no action of ours (its names are the caller's text): made for this call.
        product = self._registry.product(trace.version)
        host = product.host if product else _no_host
        return event_kind(trace.product, trace.version, trace.action, writes=False, host=host)
