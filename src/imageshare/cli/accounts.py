"""``imageshare accounts`` and ``imageshare keys``: the admin side of identities."""

from __future__ import annotations

import click

from imageshare.cli.common import (
    admin_uow,
    database_option,
    emit_json,
    emit_table,
    json_option,
)
from imageshare.domain.regions import SITES
from imageshare.services import accounts as service


@click.group()
def accounts() -> None:
    """Create and list Alibaba Cloud (main) accounts."""


@accounts.command("create")
@click.option("--site", type=click.Choice(SITES), default="china", show_default=True)
@json_option
@database_option
def accounts_create(site: str, as_json: bool, database_url: str) -> None:
    """Create an account and its first access key."""
    with admin_uow(database_url) as uow:
        account, key = service.create_account(uow, site=site, now=uow.clock.now())
    result = {
        "AccountId": account.id,
        "Site": account.site,
        "AccessKeyId": key.id,
        "AccessKeySecret": key.secret,
    }
    if as_json:
        emit_json(result)
    else:
        emit_table("New account", list(result), [list(result.values())])


@accounts.command("list")
@json_option
@database_option
def accounts_list(as_json: bool, database_url: str) -> None:
    """List every account."""
    with admin_uow(database_url) as uow:
        rows = uow.accounts.list()
    if as_json:
        emit_json([{"AccountId": a.id, "Site": a.site, "CreatedAt": a.created_at} for a in rows])
        return
    table = [(a.id, a.site, "yes" if a.is_demo else "", a.created_at) for a in rows]
    emit_table(f"{len(rows)} accounts", ["AccountId", "Site", "Demo", "Created (UTC)"], table)


@click.group()
def keys() -> None:
    """Create, list, disable, enable and delete access keys."""


@keys.command("create")
@click.option("--account", "account_id", type=int, required=True, help="Owning account id.")
@json_option
@database_option
def keys_create(account_id: int, as_json: bool, database_url: str) -> None:
    """Create another root access key for an account."""
    with admin_uow(database_url) as uow:
        key = service.create_key(uow, account_id=account_id, now=uow.clock.now())
    result = {"AccountId": key.account_id, "AccessKeyId": key.id, "AccessKeySecret": key.secret}
    if as_json:
        emit_json(result)
    else:
        emit_table("New access key", list(result), [list(result.values())])


@keys.command("list")
@click.option("--account", "account_id", type=int, required=True, help="Owning account id.")
@json_option
@database_option
def keys_list(account_id: int, as_json: bool, database_url: str) -> None:
    """List an account's access keys (secrets are not shown)."""
    with admin_uow(database_url) as uow:
        found = uow.access_keys.for_account(account_id)
    if as_json:
        emit_json(
            [{"AccessKeyId": k.id, "Status": k.status, "CreateDate": k.created_at} for k in found]
        )
        return
    rows = [(k.id, k.status, k.user_name or "(root)", k.created_at) for k in found]
    emit_table(f"Access keys of {account_id}", ["AccessKeyId", "Status", "User", "Created"], rows)


@keys.command("disable")
@click.argument("key_id")
@database_option
def keys_disable(key_id: str, database_url: str) -> None:
    """Disable a key: requests signed with it get InvalidAccessKeyId.Inactive."""
    with admin_uow(database_url) as uow:
        service.set_key_status(uow, key_id, active=False)
    click.echo(f"Disabled {key_id}.")


@keys.command("enable")
@click.argument("key_id")
@database_option
def keys_enable(key_id: str, database_url: str) -> None:
    """Enable a disabled key again."""
    with admin_uow(database_url) as uow:
        service.set_key_status(uow, key_id, active=True)
    click.echo(f"Enabled {key_id}.")


@keys.command("delete")
@click.argument("key_id")
@database_option
def keys_delete(key_id: str, database_url: str) -> None:
    """Delete a key for good: requests signed with it get InvalidAccessKeyId.NotFound."""
    with admin_uow(database_url) as uow:
        service.delete_key(uow, key_id)
    click.echo(f"Deleted {key_id}.")
