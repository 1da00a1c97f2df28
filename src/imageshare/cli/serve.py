"""``imageshare serve``: migrate, make sure there is an account to use, print how, and serve."""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

import click

from imageshare.cli import startup
from imageshare.cli.common import database_option
from imageshare.cli.observe_options import observe_options
from imageshare.cli.serve_tls import describe, plan_listeners, run, tls_options
from imageshare.cli.world import load_or_exit, parse_or_exit, print_world_banner
from imageshare.config import Settings
from imageshare.domain.accounts import AccessKey
from imageshare.domain.throttling import InvalidThrottle, parse_throttle
from imageshare.services.accounts import create_account
from imageshare.store import migrate
from imageshare.store.database import Store
from imageshare.store.engine import exclusive_setup, make_engine
from imageshare.store.ledger import LedgerMismatch, NonceLedger, ledger_path, period_for
from imageshare.world import LoadedWorld, WorldFile

BANNER = """\
imageshare {version} is serving Alibaba Cloud SWAS, ECD and ECS image-sharing APIs.

  Endpoint         {host}:{port}   (plain HTTP: set protocol='http' in the SDK config)
  Region           cn-hangzhou
  Database         {database}
  Demo account     {account} ({site} site)
  AccessKeyId      {key_id}
  AccessKeySecret  {secret}
  Admin token      {admin}

Try it with the official Python SDK (pip install alibabacloud-swas-open20200601):

  from alibabacloud_tea_openapi.models import Config
  from alibabacloud_swas_open20200601 import client, models
  print(client.Client(Config(access_key_id="{key_id}", access_key_secret="{secret}", \
endpoint="{host}:{port}", protocol="http")).list_regions(models.ListRegionsRequest()).body)

More accounts: `imageshare accounts create --json`. Stop with Ctrl+C.
"""


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8080, show_default=True, type=int, help="Port to listen on.")
@click.option(
    "--workers", default=1, show_default=True, type=click.IntRange(min=1), help="Processes."
)
@click.option(
    "--admin-token",
    envvar="IMAGESHARE_ADMIN_TOKEN",
    help="Bearer token for the /_imageshare/ admin endpoints (docs/admin.md), 16+ characters "
    "[default: generated and printed].",
)
@click.option(
    "--world",
    "world_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Load this world file (docs/world-files.md) before serving, all or nothing; a bad "
    "file stops start-up. No demo account is made.",
)
@tls_options
@click.option(
    "--forwarded-allow-ips",
    envvar="IMAGESHARE_FORWARDED_ALLOW_IPS",
    help="Comma-separated addresses of trusted proxies (or *): only requests from them have "
    "X-Forwarded-For / X-Forwarded-Proto read as the client's address and scheme, which RAM's "
    "acs:SourceIp and acs:SecureTransport see [default: none; the headers are ignored].",
)
@click.option(
    "--throttle",
    envvar="IMAGESHARE_THROTTLE",
    default="",
    help="Refuse calls past a rate with Throttling.User, per account and operation: "
    "'documented' (the rates the product pages give), 'ecs:DescribeImages=5' (5 a second), "
    "'swas-open:ListImages=10/min', comma-separated (docs/testing.md, \"Throttling\") "
    "[default: off].",
)
@database_option
@observe_options
def serve(
    host: str,
    port: int,
    workers: int,
    database_url: str,
    admin_token: str | None,
    world_file: Path | None,
    tls: bool,
    tls_cert: Path | None,
    tls_key: Path | None,
    https_port: int | None,
    forwarded_allow_ips: str | None,
    throttle: str,
) -> None:
    """Start the API server (creating and migrating the database, and a demo account, if new)."""
    token, shown = _admin_token(admin_token)
    _check_throttle(throttle)
    # A taken port or a bad world file stops start-up before the database is touched.
    for listening in (port, https_port):
        if listening is not None:
            startup.check_port(host, listening)
    declared = parse_or_exit(world_file) if world_file else None
    with startup.database_errors(database_url):
        listeners = plan_listeners(port, database_url, tls, tls_cert, tls_key, https_port)
        key, loaded = _prepare(database_url, declared)
    click.echo(describe(host, listeners), nl=False)
    if world_file is not None and loaded is not None:
        print_world_banner(host, port, database_url, world_file, loaded, shown)
    else:
        _print_banner(host, port, database_url, key, shown)
    os.environ["IMAGESHARE_DATABASE_URL"] = database_url
    os.environ["IMAGESHARE_ADMIN_TOKEN"] = token
    os.environ["IMAGESHARE_THROTTLE"] = throttle
    os.environ["IMAGESHARE_WORKERS"] = str(workers)  # each enforces its share of a rate
    # Workers are separate processes, so each builds its own app from the environment.
    run(host, workers, listeners, forwarded_allow_ips)


def _prepare(
    database_url: str, world: WorldFile | None = None
) -> tuple[AccessKey | None, LoadedWorld | None]:
    """Migrate, load the world if any, and find (or make) the demo key, one starting server at
    a time: servers started together on a new database must not race to create the schema or
    a second demo account. A world's accounts mean there is no demo account to make.

    :raises click.ClickException: the world was refused (nothing of it was written).
    """
    engine = make_engine(database_url)
    try:
        with exclusive_setup(engine) as setup_engine:
            before, _ = migrate.upgrade(setup_engine)
            startup.announce_new(database_url, created=before is None)
            store = Store(setup_engine)
            settings = Settings(database_url=database_url)
            _check_nonce_ledger(store, settings)
            loaded = None
            if world is not None:
                loaded = load_or_exit(store, world, settings)
            return _demo_key(store), loaded
    finally:
        engine.dispose()


def _check_nonce_ledger(store: Store, settings: Settings) -> None:
    """SQLite: make (or check) the nonce ledger here, so one made for another clock skew stops
    start-up with its message instead of a traceback in every worker.

    :raises click.ClickException: the ledger's period is too short for this server.
    """
    if not store.single_writer:
        return
    period = period_for(timedelta(seconds=settings.max_clock_skew_seconds))
    try:
        NonceLedger(ledger_path(store.engine.url), period).close()
    except LedgerMismatch as error:
        raise click.ClickException(str(error)) from error


def _demo_key(store: Store) -> AccessKey | None:
    """The demo account's first key; the account is made when the database has none at all."""
    with store.unit_of_work(write=True) as uow:
        demo = uow.accounts.demo()
        if demo is None and not uow.accounts.list():
            demo, _ = create_account(uow, site="china", now=uow.clock.now(), demo=True)
        keys = uow.access_keys.for_account(demo.id) if demo else []
        uow.commit()
    return keys[0] if keys else None


def _check_throttle(throttle: str) -> None:
    """:raises click.BadParameter: a --throttle that cannot be read (before start-up)."""
    try:
        parse_throttle(throttle)
    except InvalidThrottle as error:
        raise click.BadParameter(str(error), param_hint="--throttle") from None


def _admin_token(given: str | None) -> tuple[str, str]:
    """The admin token, and how the banner shows it: a generated token is printed (there is no
    other way to learn it), a chosen one is not echoed into logs.

    :raises click.BadParameter: a chosen token shorter than 16 characters.
    """
    if not given:
        token = secrets.token_urlsafe(24)
        return token, f"{token}   (generated; choose one with --admin-token)"
    if len(given) < 16:
        raise click.BadParameter("use at least 16 characters", param_hint="--admin-token")
    return given, "(the one from --admin-token / IMAGESHARE_ADMIN_TOKEN)"


def _print_banner(
    host: str, port: int, database_url: str, key: AccessKey | None, admin: str
) -> None:
    from imageshare import __version__

    if key is None:
        click.echo(f"imageshare {__version__} serving on {host}:{port} ({database_url}).")
        click.echo(f"Admin token for /_imageshare/: {admin}")
        click.echo("Accounts and keys: `imageshare accounts list`, `imageshare keys list`.")
        return
    click.echo(
        BANNER.format(
            version=__version__,
            host=host,
            port=port,
            database=database_url,
            account=key.account_id,
            site="china",
            key_id=key.id,
            secret=key.secret,
            admin=admin,
        )
    )
