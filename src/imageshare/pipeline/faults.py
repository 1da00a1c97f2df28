"""Fault rules applied to calls (docs/testing.md, "Faults"): after authentication and routing,
before authorisation, a call looks up the rules of its action; the first that matches the
caller and region and fires decides the call.

Whether any rule exists at all comes with the key the call is signed with (one more column of
that statement, ``store.faults.RULES_EXIST``), read in the request's own transaction like the
rules: a rule added through any server applies on every server from its next call, with no
cache to go stale, and a call pays nothing more while there are none (docs/performance.md,
"Fault rules"). Firing counts the call in a write transaction of its own that commits whatever
the call does next: a faulted call rolls back, its count must not.
"""

from __future__ import annotations

from imageshare.domain.faults import CALL_EFFECTS, Effect, FaultRule
from imageshare.errors import InjectedFault
from imageshare.store.database import Store
from imageshare.store.uow import UnitOfWork

# What the request log and the audit trail record for a call whose connection was held and
# closed: the caller got no answer, so this is imageshare's name, not a gateway's.
TIMEOUT_CODE = "RequestTimeout"
TIMEOUT_STATUS = 504
TIMEOUT_MESSAGE = "No answer: a fault rule held the connection and closed it."


class FaultInjector:
    def __init__(self, store: Store) -> None:
        self._store = store

    def check(
        self, uow: UnitOfWork, product: str, action: str, account_id: int, region: str | None
    ) -> FaultRule | None:
        """The rule that fires on this call, if any; ``uow`` is the request's."""
        rules = uow.faults.for_action(product, action)
        if not rules:
            return None
        candidates = [
            rule
            for rule in rules
            if rule.effect in CALL_EFFECTS and rule.matches(account_id, region)
        ]
        if not candidates:
            return None
        with self._store.unit_of_work(write=True) as counting:
            fired = next((rule for rule in candidates if counting.faults.claim(rule)), None)
            counting.commit()
        return fired


def refusal(rule: FaultRule) -> InjectedFault | None:
    """The error a fired rule answers the call with (the call then changes nothing); None for
    a delay, whose call runs as usual."""
    if rule.effect == Effect.ERROR:
        assert rule.code is not None and rule.http_status is not None
        return InjectedFault(rule.code, rule.http_status, rule.message or "")
    if rule.effect == Effect.TIMEOUT:
        return InjectedFault(TIMEOUT_CODE, TIMEOUT_STATUS, TIMEOUT_MESSAGE)
    return None
