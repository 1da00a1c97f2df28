"""Start-up that fails early and clearly: one line saying what to fix, before anything is
printed, written or created (docs/cli.md, "Start-up")."""

from __future__ import annotations

import errno
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError

from imageshare.store.health import describe

URL_FORMS = "sqlite:///FILE or postgresql://USER@HOST/DB"


def check_port(host: str, port: int) -> None:
    """Bind the address (as uvicorn will, with SO_REUSEADDR) and let it go: a taken port stops
    start-up before the banner, the demo account or a world file. (uvicorn binds again a
    moment later; a process that takes the port in between still makes it fail, later.)

    :raises click.ClickException: the address cannot be bound.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            why = "it is in use" if error.errno == errno.EADDRINUSE else error.strerror
            raise click.ClickException(
                f"cannot listen on {host}:{port}: {why}. Stop what uses it or choose --port."
            ) from None


def shown(database_url: str) -> str:
    """The URL with any password hidden."""
    try:
        return make_url(database_url).render_as_string(hide_password=True)
    except ArgumentError:
        return database_url


def sqlite_file(database_url: str) -> Path | None:
    """The absolute path of a SQLite database file, None for anything else."""
    try:
        url = make_url(database_url)
    except ArgumentError:
        return None
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    return Path(url.database).resolve()


@contextmanager
def database_errors(database_url: str) -> Iterator[None]:
    """A bad URL, an unknown driver, a server that does not answer or a missing directory
    becomes one line saying what to fix, not a traceback.

    :raises click.ClickException:
    """
    path = sqlite_file(database_url)
    if path is not None and not path.parent.is_dir():
        raise click.ClickException(
            f"the directory {path.parent} (for the database {path}) does not exist: "
            "create it or choose another --database."
        )
    try:
        yield
    except NoSuchModuleError as error:  # an ArgumentError too: caught first
        raise click.ClickException(
            f"unknown database driver in {shown(database_url)} ({error}): use {URL_FORMS}."
        ) from None
    except ArgumentError:
        raise click.ClickException(
            f"{database_url!r} is not a database URL: use {URL_FORMS}."
        ) from None
    except OperationalError as error:
        raise click.ClickException(
            f"cannot open the database {shown(database_url)}: {describe(error)}"
        ) from None


def require_existing(database_url: str) -> None:
    """Admin commands work on a database a server made; they never make one (a typo in a
    path, or another directory, would otherwise start an empty database silently).

    :raises click.ClickException: a SQLite file that does not exist, naming where it looked.
    """
    path = sqlite_file(database_url)
    if path is not None and not path.exists():
        raise click.ClickException(
            f"no database at {path} (from {database_url}). Pass --database (or set "
            "IMAGESHARE_DATABASE_URL) to the one `imageshare serve` uses, or create one with "
            "`imageshare db upgrade`."
        )


def announce_new(database_url: str, created: bool) -> None:
    """Say loudly, on stderr, that a new, empty database was made, and where."""
    if not created:
        return
    where = sqlite_file(database_url) or shown(database_url)
    click.secho(f"Created a NEW, EMPTY database at {where}", fg="yellow", bold=True, err=True)
