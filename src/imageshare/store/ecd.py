"""Elastic Desktop Service desktops: what the admin CLI makes and CreateImage images."""

from __future__ import annotations

from sqlalchemy import select, update

from imageshare.domain.ecd import Desktop
from imageshare.store.statement import Db, Statement
from imageshare.store.statement_builders import bind, fields_of, insert_row
from imageshare.store.tables import ecd_desktops

_d = ecd_desktops.c
_ADD = insert_row(ecd_desktops)
_RENAME = Statement(
    update(ecd_desktops).where(_d.id == bind(_d.id)).values(id=bind(_d.id, "new_id"))
)
_DESKTOP = select(*fields_of(ecd_desktops, Desktop))
_GET = Statement(
    _DESKTOP.where(
        _d.id == bind(_d.id),
        _d.account_id == bind(_d.account_id),
        _d.region_id == bind(_d.region_id),
    )
)
_OF_ACCOUNT = Statement(
    _DESKTOP.where(_d.account_id == bind(_d.account_id)).order_by(_d.created_at, _d.id)
)


class DesktopRepository:
    def __init__(self, db: Db) -> None:
        self._db = db

    def add(self, desktop: Desktop) -> None:
        _ADD.run(self._db, desktop.__dict__)

    def rename(self, desktop_id: str, new_id: str) -> None:
        """Give a desktop a chosen id (world files fix ids that tests elsewhere hard-code)."""
        _RENAME.run(self._db, {"id": desktop_id, "new_id": new_id})

    def get(self, account_id: int, region_id: str, desktop_id: str) -> Desktop | None:
        """The account's desktop in that region; another account's or region's is None."""
        params = {"id": desktop_id, "account_id": account_id, "region_id": region_id}
        row = _GET.first(self._db, params)
        return Desktop(*row) if row else None

    def for_account(self, account_id: int) -> list[Desktop]:
        return [Desktop(*row) for row in _OF_ACCOUNT.rows(self._db, {"account_id": account_id})]
