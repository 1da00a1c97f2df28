"""Accounts and access keys: what the admin CLI (and later the world loader) does."""

from __future__ import annotations

from datetime import datetime

from imageshare.domain import ids
from imageshare.domain.accounts import AccessKey, Account
from imageshare.domain.regions import SITES
from imageshare.store.uow import UnitOfWork


class AdminError(Exception):
    """A problem with an admin command's input; the message says what to do."""


def create_account(
    uow: UnitOfWork, *, site: str, now: datetime, demo: bool = False
) -> tuple[Account, AccessKey]:
    """A new main account with its first root access key.

    :raises AdminError: unknown site.
    """
    if site not in SITES:
        raise AdminError(f"unknown site {site!r}: use one of {', '.join(SITES)}")
    account_id = ids.new_account_id()
    while uow.accounts.get(account_id) is not None:  # pragma: no cover - 1 in 9e15
        account_id = ids.new_account_id()
    account = Account(id=account_id, site=site, is_demo=demo, created_at=now)
    uow.accounts.add(account)
    return account, create_key(uow, account_id=account.id, now=now)


def create_key(uow: UnitOfWork, *, account_id: int, now: datetime) -> AccessKey:
    """:raises AdminError: the account does not exist."""
    if uow.accounts.get(account_id) is None:
        raise AdminError(f"account {account_id} does not exist: see `imageshare accounts list`")
    key = AccessKey(
        id=ids.new_access_key_id(),
        account_id=account_id,
        user_name=None,
        secret=ids.new_access_key_secret(),
        status="Active",
        created_at=now,
    )
    uow.access_keys.add(key)
    return key


def set_key_status(uow: UnitOfWork, key_id: str, *, active: bool) -> None:
    """:raises AdminError: no such key."""
    if not uow.access_keys.set_status(key_id, "Active" if active else "Inactive"):
        raise AdminError(f"access key {key_id} does not exist: see `imageshare keys list`")


def delete_key(uow: UnitOfWork, key_id: str) -> None:
    """:raises AdminError: no such key."""
    if not uow.access_keys.delete(key_id):
        raise AdminError(f"access key {key_id} does not exist: see `imageshare keys list`")
