"""How a run of an operation that takes time goes (domain/operations.py): how long it takes,
and whether it ends failed, which the fault rules decide (services/faults.operation_fails:
a ``fail_operation`` rule of the action that matches the caller and the region fires)."""

from __future__ import annotations

from datetime import datetime

from imageshare.domain.operations import Operation, Run, run
from imageshare.services import faults
from imageshare.store.uow import UnitOfWork


def start(
    uow: UnitOfWork,
    operation: Operation,
    seconds: float,
    where: tuple[int, str],
    now: datetime,
) -> Run:
    """A run of ``operation`` starting ``now`` for ``where``: the caller's account and the
    call's RegionId (a copy's source region, as a fault rule matches the call)."""
    return run(now, seconds, fails=ends_failed(uow, operation, where))


def ends_failed(uow: UnitOfWork, operation: Operation, where: tuple[int, str]) -> bool:
    """Does a fault rule say this run ends CreateFailed? A rule's count is used up when the
    change that starts the run commits, and not if it rolls back."""
    product, _, action = operation.partition(":")
    account_id, region_id = where
    return faults.operation_fails(uow, product, action, account_id, region_id)
