"""Helpers shared by the admin commands: the --database option, the store, output."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

import click
from rich.console import Console
from rich.table import Table

from imageshare.cli import startup
from imageshare.config import Settings
from imageshare.services.accounts import AdminError
from imageshare.store import migrate
from imageshare.store.database import Store
from imageshare.store.engine import exclusive_setup, make_engine
from imageshare.store.uow import UnitOfWork

F = TypeVar("F", bound=Callable[..., Any])


def database_option(func: F) -> F:
    return click.option(
        "--database",
        "database_url",
        envvar="IMAGESHARE_DATABASE_URL",
        default=Settings.model_fields["database_url"].default,
        show_default=True,
        help="SQLAlchemy URL: sqlite:///FILE or postgresql://USER@HOST/DB.",
    )(func)


def json_option(func: F) -> F:
    return click.option("--json", "as_json", is_flag=True, help="Print JSON, for scripts.")(func)


def open_store(database_url: str, *, create: bool = False) -> Store:
    """The store, its schema brought up to date (harmless when it already is). An admin
    command makes no database unless it fills a whole one (``create``: `world load`,
    `state import`, which say so loudly): a SQLite file that is not there is an error naming
    where it looked.

    :raises click.ClickException: no such database, or it cannot be opened.
    """
    with startup.database_errors(database_url):
        if not create:
            startup.require_existing(database_url)
        engine = make_engine(database_url)
        with exclusive_setup(engine) as setup:  # admin commands may run as servers start
            before, _ = migrate.upgrade(setup)
        startup.announce_new(database_url, created=before is None)
    return Store(engine)


@contextmanager
def admin_uow(database_url: str) -> Iterator[UnitOfWork]:
    """One committed write transaction; AdminError becomes a clean CLI error."""
    store = open_store(database_url)
    try:
        with store.unit_of_work(write=True) as uow:
            yield uow
            uow.commit()
    except AdminError as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        store.dispose()


def emit_json(value: Any) -> None:
    click.echo(json.dumps(value, indent=2, default=str))


def emit_table(title: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    table = Table(title=title)
    for column in columns:
        table.add_column(column)
    for row in rows:
        table.add_row(*(str(v) for v in row))
    Console().print(table)
