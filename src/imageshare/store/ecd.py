"""Elastic Desktop Service desktops: what the admin CLI makes and CreateImage images."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, insert, select, update

from imageshare.store.tables import ecd_desktops


@dataclass(frozen=True)
class Desktop:
    id: str
    account_id: int
    region_id: str
    os_type: str  # "Windows" | "Linux"
    encryption_key_id: str | None  # set: the desktop's disks (and its images) are encrypted
    system_disk_size: int
    data_disk_size: int
    created_at: datetime

    @property
    def encrypted(self) -> bool:
        return self.encryption_key_id is not None


class DesktopRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, desktop: Desktop) -> None:
        self._conn.execute(insert(ecd_desktops).values(**desktop.__dict__))

    def rename(self, desktop_id: str, new_id: str) -> None:
        """Give a desktop a chosen id (world files fix ids that tests elsewhere hard-code)."""
        query = update(ecd_desktops).where(ecd_desktops.c.id == desktop_id).values(id=new_id)
        self._conn.execute(query)

    def get(self, account_id: int, region_id: str, desktop_id: str) -> Desktop | None:
        """The account's desktop in that region; another account's or region's is None."""
        c = ecd_desktops.c
        query = select(ecd_desktops).where(
            c.id == desktop_id, c.account_id == account_id, c.region_id == region_id
        )
        row = self._conn.execute(query).first()
        return Desktop(**row._mapping) if row else None

    def for_account(self, account_id: int) -> list[Desktop]:
        c = ecd_desktops.c
        query = select(ecd_desktops).where(c.account_id == account_id)
        rows = self._conn.execute(query.order_by(c.created_at, c.id))
        return [Desktop(**row._mapping) for row in rows]
