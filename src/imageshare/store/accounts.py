"""Accounts and their access keys."""

from __future__ import annotations

import functools

from sqlalchemy import delete, select, update

from imageshare.domain.accounts import AccessKey, Account
from imageshare.domain.times import ServerClock
from imageshare.store.clock import CLOCK_COLUMN_COUNT, clock_of, with_clock
from imageshare.store.faults import RULES_EXIST
from imageshare.store.statement import Db, Statement
from imageshare.store.statement_builders import bind, fields_of, id_binds, id_params, insert_row
from imageshare.store.tables import access_keys, accounts

_a = accounts.c
_ADD_ACCOUNT = insert_row(accounts)
_ACCOUNT = select(*fields_of(accounts, Account))
_ACCOUNT_BY_ID = Statement(_ACCOUNT.where(_a.id == bind(_a.id, "account_id")))
_ALL_ACCOUNTS = Statement(_ACCOUNT.order_by(_a.created_at, _a.id))
_DEMO = Statement(_ACCOUNT.where(_a.is_demo.is_(True)).order_by(_a.created_at, _a.id).limit(1))
_LOCK_ACCOUNT = Statement(select(_a.id).where(_a.id == bind(_a.id)).with_for_update())


@functools.lru_cache(maxsize=128)
def _sites_by(count: int) -> Statement:
    """The sites of ``count`` accounts (parameters ``id_0`` ...): every share and unshare
    looks up the owner and up to 10 accounts at once."""
    return Statement(select(_a.id, _a.site).where(_a.id.in_(id_binds(_a.id, count))))


class AccountRepository:
    def __init__(self, db: Db) -> None:
        self._db = db

    def add(self, account: Account) -> None:
        _ADD_ACCOUNT.run(self._db, account.__dict__)

    def get(self, account_id: int) -> Account | None:
        row = _ACCOUNT_BY_ID.first(self._db, {"account_id": account_id})
        return Account(*row) if row else None

    def sites(self, account_ids: list[int]) -> dict[int, str]:
        """The site of each of these accounts that exists: all a share needs to know of its
        accounts (two columns, not the whole row: no datetime to parse per account)."""
        if not account_ids:
            return {}
        return dict(_sites_by(len(account_ids)).rows(self._db, id_params(account_ids)))

    def lock(self, account_id: int) -> None:
        """Serialise an account's quota checks: SELECT ... FOR UPDATE on PostgreSQL (SQLite
        writers already hold the database lock)."""
        _LOCK_ACCOUNT.rows(self._db, {"id": account_id})

    def list(self) -> list[Account]:
        return [Account(*row) for row in _ALL_ACCOUNTS.rows(self._db)]

    def demo(self) -> Account | None:
        row = _DEMO.first(self._db)
        return Account(*row) if row else None


_k = access_keys.c
_ADD_KEY = insert_row(access_keys)
_KEY = select(*fields_of(access_keys, AccessKey))
_KEY_BY_ID = Statement(_KEY.where(_k.id == bind(_k.id, "key_id")))
# Every request looks its key up, and reads with it whether any fault rule exists
# (store/faults.py) and the server's clock (store/clock.py): no statement of their own.
_SIGNING_KEY = Statement(
    with_clock(_KEY.add_columns(RULES_EXIST)).where(_k.id == bind(_k.id, "key_id"))
)
_KEYS_OF = Statement(
    _KEY.where(_k.account_id == bind(_k.account_id)).order_by(_k.created_at, _k.id)
)
_SET_KEY_STATUS = Statement(
    update(access_keys).where(_k.id == bind(_k.id)).values(status=bind(_k.status))
)
_DELETE_KEY = Statement(delete(access_keys).where(_k.id == bind(_k.id)))


class AccessKeyRepository:
    def __init__(self, db: Db) -> None:
        self._db = db

    def add(self, key: AccessKey) -> None:
        _ADD_KEY.run(self._db, key.__dict__)

    def get(self, key_id: str) -> AccessKey | None:
        row = _KEY_BY_ID.first(self._db, {"key_id": key_id})
        return AccessKey(*row) if row else None

    def signing(self, key_id: str) -> tuple[AccessKey, bool, ServerClock] | None:
        """The key a request says it is signed with, whether any fault rule exists (the
        pipeline's fault check, pipeline/faults.py) and the server's clock, in one statement."""
        row = _SIGNING_KEY.first(self._db, {"key_id": key_id})
        if row is None:
            return None
        fields = row[: -1 - CLOCK_COLUMN_COUNT]
        return AccessKey(*fields), bool(row[len(fields)]), clock_of(row)

    def for_account(self, account_id: int) -> list[AccessKey]:
        return [AccessKey(*row) for row in _KEYS_OF.rows(self._db, {"account_id": account_id})]

    def set_status(self, key_id: str, status: str) -> bool:
        return _SET_KEY_STATUS.run(self._db, {"id": key_id, "status": status}) > 0

    def delete(self, key_id: str) -> bool:
        return _DELETE_KEY.run(self._db, {"id": key_id}) > 0
