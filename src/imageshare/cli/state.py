"""``imageshare state``: export, import, reset and snapshot the whole state (docs/admin.md).

These work straight on the database, like the other admin commands, so they need no running
server and no admin token; a running server sees the result at its next request.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import IO, Any, TypeVar

import click

from imageshare.cli.common import database_option, emit_json, emit_table, json_option
from imageshare.cli.common import open_store as _open_store
from imageshare.domain.times import utcnow
from imageshare.services import state as service
from imageshare.store.database import Store

F = TypeVar("F", bound=Callable[..., Any])


def _yes_option(what: str) -> Callable[[F], F]:
    # These replace everything in a database that may be a team's control plane: ask first.
    return click.confirmation_option(
        "--yes", "-y", prompt=f"This {what}. Continue?", help="Do not ask for confirmation."
    )


@contextmanager
def _store(database_url: str, *, create: bool = False) -> Iterator[Store]:
    store = _open_store(database_url, create=create)
    try:
        yield store
    except service.StateError as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        store.dispose()


@click.group("state")
def state() -> None:
    """Export, import, reset and snapshot the whole state."""


@state.command("export")
@click.option(
    "--output", "-o", type=click.File("w"), default="-", help="File to write [default: stdout]."
)
@database_option
def state_export(output: IO[str], database_url: str) -> None:
    """Write the whole state as one JSON document (see `state import`)."""
    with _store(database_url) as store:
        document = service.export(store)
    json.dump(document, output, indent=2)
    output.write("\n")


@state.command("import")
@click.argument("source", type=click.File("r"))
@_yes_option("replaces the whole state with the file's")
@database_option
def state_import(source: IO[str], database_url: str) -> None:
    """Replace the whole state with an exported JSON document (SOURCE; - for stdin)."""
    try:
        document = json.load(source)
    except ValueError as exc:
        raise click.ClickException(f"{source.name} is not JSON: {exc}") from None
    except RecursionError:
        raise click.ClickException(f"{source.name} is nested too deeply to be a state") from None
    with _store(database_url, create=True) as store:
        counts = service.import_(store, document)
    click.echo(f"Imported {sum(counts.values())} rows into {len(counts)} tables.")


@state.command("reset")
@click.option("--drop-demo", is_flag=True, help="Delete the demo account too.")
@_yes_option("deletes every account, key, image and share")
@database_option
def state_reset(drop_demo: bool, database_url: str) -> None:
    """Delete the whole state; the demo account and its keys stay unless --drop-demo."""
    with _store(database_url) as store:
        kept = service.reset(store, keep_demo=not drop_demo)
    click.echo("State reset." + (f" Kept demo account {kept}." if kept else ""))


@state.command("snapshot")
@click.argument("name")
@click.option("--replace", is_flag=True, help="Overwrite a snapshot of the same name.")
@database_option
def state_snapshot(name: str, replace: bool, database_url: str) -> None:
    """Save the whole state as snapshot NAME, in the database."""
    with _store(database_url) as store:
        info = service.save_snapshot(store, name, now=utcnow(), replace=replace)
    click.echo(f"Saved snapshot {info.name} ({info.size_bytes} bytes).")


@state.command("restore")
@click.argument("name")
@_yes_option("replaces the whole state with the snapshot's")
@database_option
def state_restore(name: str, database_url: str) -> None:
    """Bring back exactly the state saved as snapshot NAME."""
    with _store(database_url) as store:
        counts = service.restore_snapshot(store, name)
    click.echo(f"Restored snapshot {name}: {sum(counts.values())} rows.")


@state.command("snapshots")
@json_option
@database_option
def state_snapshots(as_json: bool, database_url: str) -> None:
    """List the saved snapshots."""
    with _store(database_url) as store:
        found = service.list_snapshots(store)
    rows = [(s.name, s.schema_revision, s.created_at, s.size_bytes) for s in found]
    if as_json:
        keys = ("Name", "SchemaRevision", "CreatedAt", "SizeBytes")
        emit_json([dict(zip(keys, row, strict=True)) for row in rows])
        return
    columns = ["Name", "Schema", "Created (UTC)", "Bytes"]
    emit_table(f"{len(rows)} snapshots", columns, rows)


@state.command("delete-snapshot")
@click.argument("name")
@database_option
def state_delete_snapshot(name: str, database_url: str) -> None:
    """Delete snapshot NAME (the current state is not touched)."""
    with _store(database_url) as store:
        service.delete_snapshot(store, name)
    click.echo(f"Deleted snapshot {name}.")
