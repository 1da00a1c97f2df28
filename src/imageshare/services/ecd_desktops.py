"""ECD desktops, made by the admin CLI: the office sites, bundles and policies a real desktop
needs are out of scope, so a desktop here is just what CreateImage reads from it."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from imageshare.domain.ecd import ECD_OS_TYPES, Desktop, ecd_os_type, new_ecd_id
from imageshare.domain.regions import ECD_REGIONS
from imageshare.services.accounts import AdminError
from imageshare.store.uow import UnitOfWork

# A common ECD bundle's disks (GiB): what images made from these desktops report as Size
# and DataDiskSize.
SYSTEM_DISK_SIZE = 80
DATA_DISK_SIZE = 50


def create_desktop(
    uow: UnitOfWork,
    *,
    account_id: int,
    region_id: str,
    os_type: str = "Windows",
    encrypted: bool = False,
    now: datetime,
) -> Desktop:
    """A running desktop of the account's; an encrypted one gets its own (made-up) KMS key.

    :raises AdminError: unknown account, a region ECD is not offered in, or an unknown OS type.
    """
    os_name = _check(uow, account_id, region_id, os_type)
    desktop = Desktop(
        id=new_ecd_id("ecd"),
        account_id=account_id,
        region_id=region_id,
        os_type=os_name,
        # KMS key ids are UUIDs (08c33a6f-4e0a-4a1b-a3fa-7ddfa1d4****); nothing checks them here.
        encryption_key_id=str(uuid.uuid4()) if encrypted else None,
        system_disk_size=SYSTEM_DISK_SIZE,
        data_disk_size=DATA_DISK_SIZE,
        created_at=now,
    )
    uow.ecd_desktops.add(desktop)
    return desktop


def find_desktops(
    uow: UnitOfWork, account_id: int, region_id: str, ids: Sequence[str], os_types: Sequence[str]
) -> list[Desktop]:
    """The account's desktops in the region, oldest first; only those ``ids`` and
    ``os_types`` name when they name any."""
    return [
        desktop
        for desktop in uow.ecd_desktops.for_account(account_id)
        if desktop.region_id == region_id
        and (not ids or desktop.id in ids)
        and (not os_types or desktop.os_type in os_types)
    ]


def _check(uow: UnitOfWork, account_id: int, region_id: str, os_type: str) -> str:
    """The OS type as stored.

    :raises AdminError: unknown account, region or OS type; the message says what to use.
    """
    if uow.accounts.get(account_id) is None:
        raise AdminError(f"account {account_id} does not exist: see `imageshare accounts list`")
    if region_id not in {region.id for region in ECD_REGIONS}:
        offered = ", ".join(region.id for region in ECD_REGIONS)
        raise AdminError(f"ECD is not offered in region {region_id!r}: use one of {offered}")
    os_name = ecd_os_type(os_type)
    if os_name is None:
        raise AdminError(f"unknown OS type {os_type!r}: use one of {', '.join(ECD_OS_TYPES)}")
    return os_name
