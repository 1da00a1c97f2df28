"""``world.faults``: fault rules for a test (docs/testing.md, "Faults").

    rule = world.faults.add("ecs:DescribeImages", error="ServiceUnavailable", count=2)
    ...                      # the next two DescribeImages calls answer 503
    rule.remove()            # or leave it: the plugin's reset before each test clears it

Rules are kept in the database, so every server on it (the session's, and others a test
starts on the same database) applies them from its next call.
"""

from __future__ import annotations

from functools import cache
from typing import Protocol

from imageshare.domain.faults import FaultRule, spec_of
from imageshare.services.faults import add_rule
from imageshare.store.database import Store
from imageshare.values import frozen


class _Account(Protocol):
    @property
    def id(self) -> int: ...


@cache
def _served() -> frozenset[str]:
    from imageshare.api.all import build_registry

    return build_registry().ram_actions()


@frozen
class FaultHandle:
    """A rule added by ``world.faults.add``: ``remove()`` it, or ``current()`` to see how often
    it has matched (``seen``) and fired (``fired``)."""

    id: int
    store: Store

    def current(self) -> FaultRule | None:
        """The rule as stored now; None once removed (or cleared by a reset)."""
        with self.store.unit_of_work() as uow:
            return uow.faults.get(self.id)

    def remove(self) -> None:
        """Stop applying the rule (nothing happens if it is gone already)."""
        with self.store.unit_of_work(write=True) as uow:
            uow.faults.remove(self.id)
            uow.commit()


class Faults:
    def __init__(self, store: Store) -> None:
        self._store = store

    def add(
        self,
        action: str,
        *,
        error: str | None = None,
        status: int | None = None,
        message: str | None = None,
        delay_ms: int | None = None,
        timeout_ms: int | None = None,
        fail_operation: bool = False,
        account: _Account | int | None = None,
        region: str | None = None,
        count: int | None = None,
        probability: float = 1.0,
        seed: int = 0,
    ) -> FaultHandle:
        """A rule for ``action`` (``product:Action``, e.g. ``ecs:CopyImage``; ``ecs:*``):
        an ``error`` (default ServiceUnavailable), ``delay_ms``, ``timeout_ms`` or
        ``fail_operation``; for one ``account`` and ``region`` if given; the next ``count``
        calls, or a ``probability`` of them decided by ``seed``.

        :raises InvalidRule: the rule cannot be kept (the message says why).
        """
        account_id = account if isinstance(account, int) or account is None else account.id
        spec = spec_of(
            action, error=error, status=status, message=message, delay_ms=delay_ms,
            timeout_ms=timeout_ms, fail_operation=fail_operation, account_id=account_id,
            region=region, count=count, probability=probability, seed=seed,
        )  # fmt: skip
        with self._store.unit_of_work(write=True) as uow:
            rule = add_rule(uow, spec, uow.clock.now(), _served())
            uow.commit()
        return FaultHandle(rule.id, self._store)

    def list(self) -> list[FaultRule]:
        """Every rule, oldest first."""
        with self._store.unit_of_work() as uow:
            return uow.faults.all()

    def clear(self) -> int:
        """Remove every rule; how many there were."""
        with self._store.unit_of_work(write=True) as uow:
            removed = uow.faults.clear()
            uow.commit()
        return removed
