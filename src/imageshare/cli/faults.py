"""``imageshare faults``: add, list, remove and clear fault rules (docs/testing.md, "Faults").

Like the other admin commands these work straight on the database, so they need no admin
token; every server on the database applies a rule from its next call.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import click

from imageshare.cli.common import admin_uow, database_option, emit_json, emit_table, json_option
from imageshare.domain.faults import InvalidRule, spec_of
from imageshare.services.faults import add_rule, rule_fields
from imageshare.store.uow import UnitOfWork

_EPILOG = """\b
Examples:
  imageshare faults add ecs:DescribeImages --count 2
      the next 2 DescribeImages calls answer 503 ServiceUnavailable
  imageshare faults add ecs:CopyImage --error Throttling.User --probability 0.3 --seed 7
  imageshare faults add swas-open:* --account 1234567890123456 --delay-ms 1500
  imageshare faults add ecs:DescribeImages --timeout-ms 20000 --region cn-shanghai
  imageshare faults add ecs:CopyImage --fail-operation     the copy ends CreateFailed
  imageshare faults add ecs:CreateImage --error InvalidImageName.Duplicated \\
      --status 400 --message "The specified image name is already in use."
"""


@click.group()
def faults() -> None:
    """Make calls fail, slow down or time out on purpose, for tests."""


@contextmanager
def _rules(database_url: str) -> Iterator[UnitOfWork]:
    with admin_uow(database_url) as uow:
        try:
            yield uow
        except InvalidRule as error:
            raise click.UsageError(str(error)) from None


@faults.command("add", epilog=_EPILOG)
@click.argument("action")
@click.option("--error", help="Error code to answer [default: ServiceUnavailable].")
@click.option("--status", type=int, help="HTTP status of --error (known codes need none).")
@click.option("--message", help="Message of --error (known codes need none).")
@click.option("--delay-ms", type=int, help="Answer this many milliseconds late instead.")
@click.option("--timeout-ms", type=int, help="Hold the connection this long, then close it.")
@click.option("--fail-operation", is_flag=True, help="Answer, but the operation ends failed.")
@click.option("--account", type=int, help="Only calls by this account.")
@click.option("--region", help="Only calls for this region.")
@click.option("--count", type=int, help="Fire this many times, then stop [default: no limit].")
@click.option("--probability", type=float, default=1.0, show_default=True, help="Fraction.")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of --probability.")
@json_option
@database_option
def faults_add(
    action: str,
    error: str | None,
    status: int | None,
    message: str | None,
    delay_ms: int | None,
    timeout_ms: int | None,
    fail_operation: bool,
    account: int | None,
    region: str | None,
    count: int | None,
    probability: float,
    seed: int,
    as_json: bool,
    database_url: str,
) -> None:
    """Add a rule for ACTION, named product:Action (ecs:DescribeImages, ecd:*)."""
    served = _served()
    with _rules(database_url) as uow:
        spec = spec_of(
            action, error=error, status=status, message=message, delay_ms=delay_ms,
            timeout_ms=timeout_ms, fail_operation=fail_operation, account_id=account,
            region=region, count=count, probability=probability, seed=seed,
        )  # fmt: skip
        rule = add_rule(uow, spec, uow.clock.now(), served)
    _show([rule_fields(rule)], as_json, "Added")


@faults.command("list")
@json_option
@database_option
def faults_list(as_json: bool, database_url: str) -> None:
    """List every rule, with how often each has matched and fired."""
    with _rules(database_url) as uow:
        found = [rule_fields(rule) for rule in uow.faults.all()]
    _show(found, as_json, f"{len(found)} fault rules")


@faults.command("remove")
@click.argument("rule_id", type=int)
@database_option
def faults_remove(rule_id: int, database_url: str) -> None:
    """Remove the rule RULE_ID (see `faults list`)."""
    with _rules(database_url) as uow:
        if not uow.faults.remove(rule_id):
            raise click.ClickException(f"no fault rule {rule_id}: see `imageshare faults list`")
    click.echo(f"removed fault rule {rule_id}")


@faults.command("clear")
@database_option
def faults_clear(database_url: str) -> None:
    """Remove every rule."""
    with _rules(database_url) as uow:
        removed = uow.faults.clear()
    click.echo(f"removed {removed} fault rules")


def _served() -> frozenset[str]:
    from imageshare.api.all import build_registry

    return build_registry().ram_actions()


def _show(rules: list[dict[str, object]], as_json: bool, title: str) -> None:
    if as_json:
        emit_json(rules)
        return
    columns = ["id", "action", "effect", "account", "region", "error", "remaining", "fired"]
    rows = [[_cell(rule, column) for column in columns] for rule in rules]
    emit_table(title, [c.capitalize() for c in columns], rows)


def _cell(rule: dict[str, object], column: str) -> object:
    value = rule[column]
    if column == "effect" and rule["effect"] in ("delay", "timeout"):
        return f"{value} {rule['delay_ms'] or rule['timeout_ms']} ms"
    return "" if value is None else value
