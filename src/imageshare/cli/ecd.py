"""``imageshare ecd``: the admin side of Elastic Desktop Service. Desktops need office sites,
bundles and policies that imageshare does not emulate, so they are made here; images are then
made from them through the API (CreateImage), as users do."""

from __future__ import annotations

import click

from imageshare.cli.common import (
    admin_uow,
    database_option,
    emit_json,
    emit_table,
    json_option,
)
from imageshare.domain.ecd import Desktop
from imageshare.domain.regions import ECD_REGIONS
from imageshare.services import ecd_desktops as service


@click.group()
def ecd() -> None:
    """Elastic Desktop Service: desktops to make custom images from."""


@ecd.group()
def desktops() -> None:
    """Create and list ECD desktops (the source of CreateImage)."""


def _row(desktop: Desktop) -> dict[str, object]:
    return {
        "DesktopId": desktop.id,
        "AccountId": desktop.account_id,
        "RegionId": desktop.region_id,
        "OsType": desktop.os_type,
        "Encrypted": desktop.encrypted,
        "CreatedAt": desktop.created_at,
    }


@desktops.command("create")
@click.option("--account", "account_id", type=int, required=True, help="Owning account id.")
@click.option(
    "--region",
    "region_id",
    type=click.Choice([region.id for region in ECD_REGIONS]),
    required=True,
    help="ECD region of the desktop.",
)
@click.option(
    "--os-type",
    type=click.Choice(["windows", "linux"], case_sensitive=False),
    default="windows",
    show_default=True,
)
@click.option("--encrypted", is_flag=True, help="Encrypt its disks: its images are encrypted.")
@json_option
@database_option
def desktops_create(
    account_id: int, region_id: str, os_type: str, encrypted: bool, as_json: bool, database_url: str
) -> None:
    """Create a desktop; prints its DesktopId, for CreateImage."""
    with admin_uow(database_url) as uow:
        desktop = service.create_desktop(
            uow,
            account_id=account_id,
            region_id=region_id,
            os_type=os_type,
            encrypted=encrypted,
            now=uow.clock.now(),
        )
    if as_json:
        emit_json({"DesktopId": desktop.id})
    else:
        columns = ["DesktopId", "RegionId", "OsType", "Encrypted"]
        row = _row(desktop)
        emit_table("New desktop", columns, [[row[c] for c in columns]])


@desktops.command("list")
@click.option("--account", "account_id", type=int, required=True, help="Owning account id.")
@json_option
@database_option
def desktops_list(account_id: int, as_json: bool, database_url: str) -> None:
    """List an account's desktops, in every region."""
    with admin_uow(database_url) as uow:
        found = uow.ecd_desktops.for_account(account_id)
    rows = [_row(desktop) for desktop in found]
    if as_json:
        emit_json(rows)
        return
    # The account is in the title; the creation time is in --json. Four columns fit 80.
    columns = ["DesktopId", "RegionId", "OsType", "Encrypted"]
    emit_table(f"Desktops of {account_id}", columns, [[r[c] for c in columns] for r in rows])
