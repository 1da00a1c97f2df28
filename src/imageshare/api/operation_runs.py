"""A handler's start of an operation that takes time: its duration setting, the caller and
the region, handed to services/operations.py."""

from __future__ import annotations

from imageshare.api.registry import Call
from imageshare.domain.operations import Operation, Run
from imageshare.services import operations


def start(call: Call, operation: Operation, region_id: str) -> Run:
    seconds = call.settings.seconds_of(operation)
    where = (call.principal.account_id, region_id)
    return operations.start(call.uow, operation, seconds, where, call.now)
