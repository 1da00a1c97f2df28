"""Fault rules (imageshare.domain.faults): kept, found for a call, and counted.

A rule's counters change only through single UPDATE statements in a write unit of work
(``claim``): on PostgreSQL the first one locks the row until the transaction ends, on SQLite
the transaction holds the write lock, so "the next N calls" fire exactly N times and a
fraction's call numbers are handed out once each, however many workers and servers share
the database.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, exists, insert, literal, or_, select, update

from imageshare.domain.faults import ANY_ACTION, FaultRule, FaultSpec, fires, per_million
from imageshare.store.statement import Db, Statement
from imageshare.store.statement_builders import bind, fields_of
from imageshare.store.tables import fault_rules

_f = fault_rules.c
# Whether any rule exists, as a column of the statement that looks up the key a request is
# signed with (store/accounts.py, store/security.py): every call needs to know, and a column
# of a statement it runs anyway costs no round trip on PostgreSQL and next to nothing on SQLite,
# where a statement of its own was 2-6 % of a read (docs/performance.md, "Fault rules").
RULES_EXIST = exists().where(_f.id.is_not(None)).label("fault_rules_exist")
_COLUMNS = fields_of(fault_rules, FaultRule)
# The rules of one product's action (or of every action of the product), oldest first: the
# first that fires decides the call.
_FOR_ACTION = Statement(
    select(*_COLUMNS)
    .where(
        _f.product == bind(_f.product),
        or_(_f.action == bind(_f.action), _f.action == literal(ANY_ACTION, _f.action.type)),
    )
    .order_by(_f.id)
)
_ALL = Statement(select(*_COLUMNS).order_by(_f.id))
_GET = Statement(select(*_COLUMNS).where(_f.id == bind(_f.id)))
_ADD = Statement(
    insert(fault_rules)
    .values({c.key: bind(c) for c in fault_rules.c if c.key != "id"})
    .returning(_f.id)
)
# Numbers the call among those the rule matched, unless the rule has fired its last time.
_COUNT_CALL = Statement(
    update(fault_rules)
    .where(_f.id == bind(_f.id), or_(_f.remaining.is_(None), _f.remaining > 0))
    .values(seen=_f.seen + 1)
    .returning(_f.seen)
)
# NULL - 1 is NULL: a rule without a limit keeps none.
_FIRE = Statement(
    update(fault_rules)
    .where(_f.id == bind(_f.id))
    .values(fired=_f.fired + 1, remaining=_f.remaining - 1)
)
_REMOVE = Statement(delete(fault_rules).where(_f.id == bind(_f.id)))
_CLEAR = Statement(delete(fault_rules))


class FaultRuleRepository:
    def __init__(self, db: Db) -> None:
        self._db = db

    def for_action(self, product: str, action: str) -> list[FaultRule]:
        """The rules of ``product``'s ``action``, and those of all its actions, oldest first."""
        rows = _FOR_ACTION.rows(self._db, {"product": product, "action": action})
        return [FaultRule(*row) for row in rows]

    def all(self) -> list[FaultRule]:
        return [FaultRule(*row) for row in _ALL.rows(self._db)]

    def get(self, rule_id: int) -> FaultRule | None:
        row = _GET.first(self._db, {"id": rule_id})
        return FaultRule(*row) if row else None

    def add(self, spec: FaultSpec, now: datetime) -> int:
        """Keep a completed spec (``domain.faults.complete``); its new id."""
        row = {
            "product": spec.product,
            "action": spec.action,
            "effect": str(spec.effect),
            "account_id": spec.account_id,
            "region": spec.region,
            "code": spec.code,
            "http_status": spec.http_status,
            "message": spec.message,
            "delay_ms": spec.delay_ms or 0,
            "remaining": spec.count,
            "per_million": per_million(spec.probability),
            "seed": spec.seed,
            "seen": 0,
            "fired": 0,
            "created_at": now,
        }
        rule_id: int = _ADD.scalar(self._db, row)
        return rule_id

    def claim(self, rule: FaultRule) -> bool:
        """Count one more call matched by ``rule``; whether the rule fires on it (and then
        count that too). False once a counted rule has fired its last time, or after it was
        removed. Run in a write unit of work, committed whatever the answer."""
        numbered = _COUNT_CALL.first(self._db, {"id": rule.id})
        if numbered is None:
            return False
        if not fires(rule.probability, rule.seed, numbered[0]):
            return False
        _FIRE.run(self._db, {"id": rule.id})
        return True

    def remove(self, rule_id: int) -> bool:
        """Whether there was such a rule."""
        return _REMOVE.run(self._db, {"id": rule_id}) > 0

    def clear(self) -> int:
        """Remove every rule; how many there were."""
        return _CLEAR.run(self._db)
