"""``imageshare serve``: migrate, make sure there is an account to use, print how, and serve."""

from __future__ import annotations

import os
import secrets

import click
import uvicorn

from imageshare.cli.common import database_option, now
from imageshare.services.accounts import create_account
from imageshare.store import migrate
from imageshare.store.accounts import AccessKey
from imageshare.store.engine import exclusive_setup, make_engine
from imageshare.store.uow import Store

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
@database_option
def serve(host: str, port: int, workers: int, database_url: str, admin_token: str | None) -> None:
    """Start the API server (creating and migrating the database, and a demo account, if new)."""
    token, shown = _admin_token(admin_token)
    key = _prepare(database_url)
    _print_banner(host, port, database_url, key, shown)
    os.environ["IMAGESHARE_DATABASE_URL"] = database_url
    os.environ["IMAGESHARE_ADMIN_TOKEN"] = token
    # Workers are separate processes, so each builds its own app from the environment.
    uvicorn.run(
        "imageshare.app:create_app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        loop="uvloop",
        http="httptools",
        access_log=False,
        log_level="warning",
    )


def _prepare(database_url: str) -> AccessKey | None:
    """Migrate and find (or make) the demo key, one starting server at a time: servers started
    together on a new database must not race to create the schema or a second demo account."""
    engine = make_engine(database_url)
    try:
        with exclusive_setup(engine) as setup_engine:
            migrate.upgrade(setup_engine)
            return _demo_key(Store(setup_engine))
    finally:
        engine.dispose()


def _demo_key(store: Store) -> AccessKey | None:
    """The demo account's first key; the account is made when the database has none at all."""
    with store.unit_of_work(write=True) as uow:
        demo = uow.accounts.demo()
        if demo is None and not uow.accounts.list():
            demo, _ = create_account(uow, site="china", now=now(), demo=True)
        keys = uow.access_keys.for_account(demo.id) if demo else []
        uow.commit()
    return keys[0] if keys else None


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
