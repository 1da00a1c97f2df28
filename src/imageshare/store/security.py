"""STS temporary credentials. (Signature nonces are each database's request scope's business:
store/request_sqlite.py and store/request_postgres.py.)"""

from __future__ import annotations

from sqlalchemy import delete, select

from imageshare.domain.principal import SecurityToken
from imageshare.domain.times import ServerClock
from imageshare.store.clock import CLOCK_COLUMN_COUNT, clock_of, with_clock
from imageshare.store.faults import RULES_EXIST
from imageshare.store.statement import Db, Statement
from imageshare.store.statement_builders import bind, fields_of, insert_row
from imageshare.store.tables import security_tokens

_t = security_tokens.c
_ADD = insert_row(security_tokens)
# A request signed with STS credentials reads with them whether any fault rule exists and the
# server's clock, as AccessKeyRepository.signing does.
_SIGNING = Statement(
    with_clock(select(*fields_of(security_tokens, SecurityToken), RULES_EXIST)).where(
        _t.access_key_id == bind(_t.access_key_id)
    )
)
_FORGET_LIKE = Statement(delete(security_tokens).where(_t.principal.like(bind(_t.principal))))


class SecurityTokenRepository:
    def __init__(self, db: Db) -> None:
        self._db = db

    def add(self, token: SecurityToken) -> None:
        _ADD.run(self._db, token.__dict__)

    def forget_role(self, role_id: str) -> None:
        """Every session of a role; the stored principal names its role id (encode_session)."""
        _FORGET_LIKE.run(self._db, {"principal": f'%"role_id":"{role_id}"%'})

    def signing(self, access_key_id: str) -> tuple[SecurityToken, bool, ServerClock] | None:
        """The token a request says it is signed with, whether any fault rule exists and the
        server's clock (as ``AccessKeyRepository.signing``), in one statement."""
        row = _SIGNING.first(self._db, {"access_key_id": access_key_id})
        if row is None:
            return None
        fields = row[: -1 - CLOCK_COLUMN_COUNT]
        return SecurityToken(*fields), bool(row[len(fields)]), clock_of(row)
