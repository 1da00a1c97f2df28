"""``imageshare db``: schema management."""

from __future__ import annotations

import click

from imageshare.cli import startup
from imageshare.cli.common import database_option
from imageshare.store import migrate
from imageshare.store.engine import exclusive_setup, make_engine


@click.group()
def db() -> None:
    """Manage the database schema."""


@db.command()
@database_option
def upgrade(database_url: str) -> None:
    """Apply every pending migration (Alembic) to the database."""
    with startup.database_errors(database_url):
        engine = make_engine(database_url)
        try:
            # One migrator at a time, even beside servers starting on the same database.
            with exclusive_setup(engine) as setup:
                before, after = migrate.upgrade(setup)
        finally:
            engine.dispose()
    startup.announce_new(database_url, created=before is None)
    if before == after:
        click.echo(f"Database is up to date (revision {after}).")
    else:
        click.echo(f"Upgraded database from {before or 'empty'} to revision {after}.")
