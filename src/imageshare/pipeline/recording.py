"""Each authenticated call's audit event (docs/actiontrail.md): a change's written in its own
transaction, just before it commits; a read's or a failed call's handed to the batch writer
(store/trail_buffer.py) as a tuple of plain values."""

from __future__ import annotations

import logging
from typing import Any

from imageshare.api.registry import Registry
from imageshare.domain.audit import CallFacts, event_row, row_of, row_values
from imageshare.pipeline.execute import Recorder
from imageshare.pipeline.trace import Trace
from imageshare.pipeline.wire import RawRequest
from imageshare.store.database import Store
from imageshare.store.uow import UnitOfWork

log = logging.getLogger("imageshare.pipeline")


def _no_host(_region: str | None) -> str:
    return "imageshare"


class TrailRecorder:
    def __init__(self, registry: Registry, store: Store, retention_days: int) -> None:
        from datetime import timedelta

        self._registry = registry
        self._store = store
        store.trail.retention = timedelta(days=retention_days)
        store.trail.to_row = row_of

    def with_change(self, raw: RawRequest, trace: Trace) -> Recorder:
        """Writes the event into the change's unit of work (execute calls it before commit)."""

        def record(uow: UnitOfWork, answer: dict[str, Any]) -> None:
            made = answer.get("ImageId")
            made_image = made if isinstance(made, str) else None
            facts = self._facts(trace, raw.client_ip, raw.header("user-agent"), made_image)
            uow.trail.add([event_row(facts)])
            trace.recorded = True

        return record

    def later(self, raw: RawRequest, trace: Trace) -> None:
        """A read's or a failed call's event, for the batch writer."""
        try:
            facts = self._facts(trace, raw.client_ip, raw.header("user-agent"))
            self._store.trail.add(row_values(facts))
        except Exception:  # the answer is ready; a lost event must not turn it into a 500
            log.exception("could not record the audit event of RequestId %s", trace.request_id)

    def _facts(
        self, trace: Trace, source_ip: str, user_agent: str | None, made: str | None = None
    ) -> CallFacts:
        assert trace.principal is not None and trace.call_claim is not None
        assert trace.now is not None
        product = self._registry.product(trace.version)
        return CallFacts(
            request_id=trace.request_id,
            now=trace.now,
            principal=trace.principal,
            product=trace.product,
            version=trace.version,
            action=trace.action,
            writes=trace.writes,
            host=product.host if product else _no_host,
            params=trace.call_claim.business_params,
            request=trace.request,
            source_ip=source_ip,
            user_agent=(user_agent or "")[:512],
            error=trace.error,
            made_image=made,
        )
