"""Accounts and their access keys."""

from __future__ import annotations

from datetime import datetime

from imageshare.values import frozen


@frozen
class Account:
    id: int
    site: str
    is_demo: bool
    created_at: datetime


@frozen
class AccessKey:
    id: str
    account_id: int
    user_name: str | None
    secret: str
    status: str
    created_at: datetime

    @property
    def active(self) -> bool:
        return self.status == "Active"
