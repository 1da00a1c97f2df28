"""``imageshare world``: check and load world files (docs/world-files.md).

A world file declares accounts with fixed ids and keys, RAM users and policies, SWAS and ECD
images and their shares, so tests in any language start from a known state. ``serve --world``
loads one at start-up through the same functions.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.table import Table

from imageshare.cli.common import database_option, emit_json, json_option
from imageshare.cli.common import open_store as _open_store
from imageshare.config import Settings
from imageshare.store.database import Store
from imageshare.world import LoadedWorld, WorldError, WorldFile, load_world, read_world

_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)


@click.group("world")
def world() -> None:
    """Check and load world files: a declared state for tests in any language."""


@world.command("check")
@click.argument("file", type=_FILE)
def world_check(file: Path) -> None:
    """Validate FILE; no database is needed.

    Every problem is shown with its line; the exit status is 1 when there is any.
    """
    spec = parse_or_exit(file).spec
    swas = sum(len(a.swas.images) for a in spec.accounts)
    ecd = sum(len(a.ecd.images) for a in spec.accounts)
    click.echo(
        f"{file} is a valid world: {len(spec.accounts)} accounts, {swas} SWAS images, "
        f"{ecd} ECD images, {len(spec.shares)} shares."
    )


@world.command("load")
@click.argument("file", type=_FILE)
@json_option
@database_option
def world_load(file: Path, as_json: bool, database_url: str) -> None:
    """Load FILE into the database, all or nothing.

    Prints every account with its keys (secrets too) and every image; a refusal names the
    line of the entry that caused it and leaves the database unchanged.
    """
    parsed = parse_or_exit(file)
    store = _open_store(database_url, create=True)
    try:
        loaded = load_or_exit(store, parsed, Settings(database_url=database_url))
    finally:
        store.dispose()
    if as_json:
        emit_json(as_document(loaded))
    else:
        print_summary(loaded)


def parse_or_exit(file: Path) -> WorldFile:
    """The world in ``file``; every problem, by line, as the command's error otherwise."""
    try:
        return read_world(file)
    except WorldError as error:
        raise click.ClickException(f"{file} is not a valid world file:\n{error}") from None


def load_or_exit(store: Store, parsed: WorldFile, settings: Settings) -> LoadedWorld:
    """Load ``parsed`` into ``store`` (one transaction); a refusal is the command's error."""
    try:
        limit = settings.swas_share_limit
        return load_world(store, parsed, now=store.now(), swas_share_limit=limit)
    except WorldError as error:
        message = f"{parsed.source} was not loaded (the database is unchanged):\n{error}"
        raise click.ClickException(message) from None


WORLD_BANNER = """\
imageshare {version} is serving Alibaba Cloud SWAS, ECD and ECS image-sharing APIs.

  Endpoint         {host}:{port}   (plain HTTP: set protocol='http' in the SDK config)
  Region           cn-hangzhou
  Database         {database}
  World            {world}
  Admin token      {admin}
"""


def print_world_banner(
    host: str, port: int, database_url: str, world_file: Path, loaded: LoadedWorld, admin: str
) -> None:
    """What ``serve --world`` prints instead of the demo account: the world's keys."""
    from imageshare import __version__

    click.echo(
        WORLD_BANNER.format(
            version=__version__,
            host=host,
            port=port,
            database=database_url,
            world=world_file,
            admin=admin,
        )  # fmt: skip
    )
    print_summary(loaded)
    click.echo("Stop with Ctrl+C.")


def print_summary(loaded: LoadedWorld) -> None:
    """Tables of the accounts with every key (secrets too) and of the images."""
    rows = []
    for account in loaded.accounts:
        for key in account.keys:
            rows.append([account.name, account.id, account.site, key.user or "(root)", key.id,
                         key.secret])  # fmt: skip
        if not account.keys:
            rows.append([account.name, account.id, account.site, "", "(no key)", ""])
    columns = ["Account", "AccountId", "Site", "User", "AccessKeyId", "AccessKeySecret"]
    _print_table("World accounts and access keys", columns, rows)
    if loaded.images:
        images = [
            [i.owner, i.product.upper(), i.name, i.id, i.region, _ids(i.shared_with)]
            for i in loaded.images
        ]
        columns = ["Owner", "Product", "Name", "ImageId", "RegionId", "Shared with"]
        _print_table("World images", columns, images)
    if loaded.counts:
        made = ", ".join(f"{what}: {count}" for what, count in sorted(loaded.counts.items()))
        click.echo(f"Also made ({made}).")


def _print_table(title: str, columns: list[str], rows: list[list[Any]]) -> None:
    """A table that never cuts a cell: ids and secrets are copied from it, so it is printed
    wider than the terminal (or the 80 columns rich assumes for a pipe) when it must be."""
    table = Table(title=title)
    for column in columns:
        table.add_column(column, no_wrap=True)
    for row in rows:
        table.add_row(*(str(value) for value in row))
    needed = Console(width=1000).measure(table).maximum
    Console(width=max(Console().width, needed)).print(table)


def as_document(loaded: LoadedWorld) -> dict[str, Any]:
    """The summary as JSON-ready data, for scripts (``world load --json``)."""
    return {
        "Accounts": [
            {
                "Name": account.name,
                "AccountId": account.id,
                "Site": account.site,
                "AccessKeys": [
                    {"AccessKeyId": k.id, "AccessKeySecret": k.secret, "UserName": k.user}
                    for k in account.keys
                ],
            }
            for account in loaded.accounts
        ],
        "Images": [
            {
                "Owner": image.owner,
                "Product": image.product,
                "Name": image.name,
                "ImageId": image.id,
                "RegionId": image.region,
                "SharedWith": list(image.shared_with),
            }
            for image in loaded.images
        ],
        "Counts": dict(sorted(loaded.counts.items())),
    }


def _ids(account_ids: tuple[int, ...]) -> str:
    return ", ".join(str(a) for a in account_ids)
