"""ActionTrail (actiontrail 2020-07-06): LookupEvents, every account's own API events."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from imageshare.api.models import RpcRequest
from imageshare.api.products import ACTIONTRAIL
from imageshare.api.registry import Action, Call
from imageshare.services import trail as service


class LookupAttribute(RpcRequest):
    key: str | None = None
    value: str | None = None


class LookupEventsRequest(RpcRequest):
    # Strings, as the SDK declares them: their rules (and error messages) are the service's.
    start_time: str | None = None
    end_time: str | None = None
    direction: str | None = None
    max_results: str | None = None
    next_token: str | None = None
    lookup_attribute: list[LookupAttribute] = []


def lookup_events(call: Call, req: LookupEventsRequest) -> dict[str, Any]:
    lookup = service.Lookup(
        req.start_time,
        req.end_time,
        req.direction,
        req.max_results,
        req.next_token,
        [(condition.key, condition.value) for condition in req.lookup_attribute],
    )
    retention = timedelta(days=call.settings.trail_retention_days)
    page = service.lookup_events(call.uow, call.principal.account_id, lookup, call.now, retention)
    body: dict[str, Any] = {
        "Events": page.events,
        "StartTime": page.start.strftime(service.WIRE_TIME),
        "EndTime": page.end.strftime(service.WIRE_TIME),
    }
    if page.next_token is not None:
        body["NextToken"] = page.next_token
    return body


ACTIONS = (
    Action(
        product=ACTIONTRAIL,
        name="LookupEvents",
        request=LookupEventsRequest,
        handler=lookup_events,
        reads_trail=True,
    ),
)
