"""``imageshare clock``: show, freeze, advance, resume or reset the server's clock, the one
every server on the database keeps (docs/testing.md, "A clock tests control").

Like ``imageshare state``, these work straight on the database: no running server and no
admin token; a running server keeps the new time from its next request on.
"""

from __future__ import annotations

from collections.abc import Callable

import click

from imageshare.cli.common import database_option, emit_json, json_option
from imageshare.cli.common import open_store as _open_store
from imageshare.services import clock as service
from imageshare.store.database import Store


def _run(database_url: str, as_json: bool, work: Callable[[Store], service.ClockReading]) -> None:
    store = _open_store(database_url)
    try:
        reading = work(store)
    finally:
        store.dispose()
    if as_json:
        emit_json(reading.as_json())
        return
    state = "frozen" if reading.frozen else "running"
    click.echo(f"{reading.now.isoformat()}Z  ({state}, real time {_offset(reading)})")


def _offset(reading: service.ClockReading) -> str:
    seconds = reading.offset.total_seconds()
    if not seconds:
        return "+0s"
    return f"{seconds:+.6f}".rstrip("0").rstrip(".") + "s"


@click.group("clock")
def clock() -> None:
    """Show or move the server's clock (tests of time: copies, token expiry, retention)."""


@clock.command("show")
@json_option
@database_option
def clock_show(as_json: bool, database_url: str) -> None:
    """What the clock shows, and whether it is frozen."""
    _run(database_url, as_json, service.show)


@clock.command("freeze")
@json_option
@database_option
def clock_freeze(as_json: bool, database_url: str) -> None:
    """Stop the clock at the moment it shows now."""
    _run(database_url, as_json, service.freeze)


@clock.command("advance")
@click.option("--seconds", type=float, default=0, help="Seconds forward.")
@click.option("--minutes", type=float, default=0, help="Minutes forward.")
@click.option("--hours", type=float, default=0, help="Hours forward.")
@json_option
@database_option
def clock_advance(
    seconds: float, minutes: float, hours: float, as_json: bool, database_url: str
) -> None:
    """Move the clock forward (the units add up); a frozen clock stays frozen."""
    try:
        by = service.step(seconds=seconds, minutes=minutes, hours=hours)
    except service.ClockError as error:
        raise click.BadParameter(str(error)) from None
    _run(database_url, as_json, lambda store: service.advance(store, by))


@clock.command("resume")
@json_option
@database_option
def clock_resume(as_json: bool, database_url: str) -> None:
    """Let a frozen clock run again, from the moment it stood at."""
    _run(database_url, as_json, service.resume)


@clock.command("reset")
@json_option
@database_option
def clock_reset(as_json: bool, database_url: str) -> None:
    """Back to the real time."""
    _run(database_url, as_json, service.reset)
