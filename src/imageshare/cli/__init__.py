"""The ``imageshare`` command line."""

from __future__ import annotations

import click

from imageshare import __version__
from imageshare.cli.accounts import accounts, keys
from imageshare.cli.actions import actions
from imageshare.cli.clock import clock
from imageshare.cli.credentials import env, profile
from imageshare.cli.db import db
from imageshare.cli.ecd import ecd
from imageshare.cli.faults import faults
from imageshare.cli.serve import serve
from imageshare.cli.state import state
from imageshare.cli.world import world


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="imageshare")
def cli() -> None:
    """imageshare: Alibaba Cloud custom-image sharing APIs (SWAS, ECD, ECS) on your machine.

    Point the official SDKs at the endpoint `serve` prints. Admin commands (db, accounts,
    keys) work on the database named by --database or IMAGESHARE_DATABASE_URL, so they can
    run beside a running server.
    """


cli.add_command(serve)
cli.add_command(db)
cli.add_command(accounts)
cli.add_command(keys)
cli.add_command(ecd)
cli.add_command(state)
cli.add_command(clock)
cli.add_command(world)
cli.add_command(faults)
cli.add_command(actions)
cli.add_command(env)
cli.add_command(profile)


def main() -> None:
    cli()
