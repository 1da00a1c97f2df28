"""A world file's ``faults:``: fault rules checked with the file and kept with the world
(docs/world-files.md, docs/testing.md "Faults")."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import cache

from imageshare.domain.faults import FaultSpec, InvalidRule, spec_of
from imageshare.domain.ids import is_account_id
from imageshare.services.faults import add_rule
from imageshare.world.loading import Loading
from imageshare.world.model import FaultRuleSpec
from imageshare.world.problems import Path

# Stands in for an account named by its label while the rule is checked: any valid id.
_SOME_ACCOUNT = 1000000000000000


def check_fault(
    rule: FaultRuleSpec, labels: set[str], path: Path, report: Callable[[Path, str], None]
) -> None:
    """Report what is wrong with ``rule``, at ``path``."""
    if rule.account is not None and rule.account not in labels and not is_account_id(rule.account):
        message = "neither an account name of this file nor a 16-digit account id"
        report((*path, "account"), f'"{rule.account}" is {message}')
        return
    try:
        _spec(rule, dict.fromkeys(labels, _SOME_ACCOUNT))
    except InvalidRule as error:
        report(path, str(error))


def load_fault(loading: Loading, rule: FaultRuleSpec, path: Path) -> None:
    """Keep ``rule``, its account name resolved to the account loaded for it.

    :raises WorldRefused: an action no product here has.
    """
    try:
        spec = _spec(rule, loading.account_ids)
        add_rule(loading.uow, spec, loading.clock.now(), _served())
    except InvalidRule as error:
        raise loading.refused(path, str(error)) from None


def _spec(rule: FaultRuleSpec, account_ids: Mapping[str, int]) -> FaultSpec:
    """:raises InvalidRule:"""
    named = rule.account
    # A name of this file first, as shares read their recipients; else an account id.
    account_id = None if named is None else account_ids.get(named) or int(named)
    return spec_of(
        rule.action, error=rule.error, status=rule.status, message=rule.message,
        delay_ms=rule.delay_ms, timeout_ms=rule.timeout_ms, fail_operation=rule.fail_operation,
        account_id=account_id, region=rule.region, count=rule.count,
        probability=rule.probability, seed=rule.seed,
    )  # fmt: skip


@cache
def _served() -> frozenset[str]:
    from imageshare.api.all import build_registry

    return build_registry().ram_actions()
