"""``imageshare actions [--product P]``: what imageshare emulates, read from the registry."""

from __future__ import annotations

import click

from imageshare.cli.common import emit_json, json_option


@click.command()
@click.option(
    "--product",
    "product_code",
    metavar="CODE",
    help="Only this product (swas-open, ecd, ecs, ram, sts, location).",
)
@json_option
def actions(product_code: str | None, as_json: bool) -> None:
    """List the emulated actions, product by product (any other call is answered 'not
    emulated' with the action's name)."""
    from imageshare.api.all import build_registry

    registry = build_registry()
    products = registry.products()
    if product_code is not None:
        products = [p for p in products if p.code == product_code.lower()]
        if not products:
            known = ", ".join(p.code for p in registry.products())
            raise click.BadParameter(f"unknown product; use one of {known}", param_hint="--product")
    listing = {
        f"{p.code} {p.version}": sorted(a.name for a in registry if a.product is p)
        for p in products
    }
    if as_json:
        emit_json(listing)
        return
    for heading, names in listing.items():
        click.echo(f"{heading} ({len(names)} actions)")
        for name in names:
            click.echo(f"  {name}")
