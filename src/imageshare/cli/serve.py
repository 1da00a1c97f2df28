"""``imageshare serve``: migrate, make sure there is an account to use, print how, and serve."""

from __future__ import annotations

import os

import click
import uvicorn

from imageshare.cli.common import database_option, now, open_store
from imageshare.services.accounts import create_account
from imageshare.store.accounts import AccessKey
from imageshare.store.uow import Store

BANNER = """\
imageshare {version} is serving Alibaba Cloud SWAS, ECD and ECS image-sharing APIs.

  Endpoint         {host}:{port}   (plain HTTP: set protocol='http' in the SDK config)
  Region           cn-hangzhou
  Database         {database}
  Demo account     {account} ({site} site)
  AccessKeyId      {key_id}
  AccessKeySecret  {secret}

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
@database_option
def serve(host: str, port: int, workers: int, database_url: str) -> None:
    """Start the API server (creating and migrating the database, and a demo account, if new)."""
    store = open_store(database_url)
    try:
        key = _demo_key(store)
    finally:
        store.dispose()
    _print_banner(host, port, database_url, key)
    os.environ["IMAGESHARE_DATABASE_URL"] = database_url
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


def _demo_key(store: Store) -> AccessKey | None:
    """The demo account's first key; the account is made when the database has none at all."""
    with store.unit_of_work(write=True) as uow:
        demo = uow.accounts.demo()
        if demo is None and not uow.accounts.list():
            demo, _ = create_account(uow, site="china", now=now(), demo=True)
        keys = uow.access_keys.for_account(demo.id) if demo else []
        uow.commit()
    return keys[0] if keys else None


def _print_banner(host: str, port: int, database_url: str, key: AccessKey | None) -> None:
    from imageshare import __version__

    if key is None:
        click.echo(f"imageshare {__version__} serving on {host}:{port} ({database_url}).")
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
        )
    )
