"""The pure fault-rule model (imageshare.domain.faults): specs completed and refused, which
calls a rule matches, and the seeded fraction."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from imageshare.domain.faults import (
    DEFAULT_TIMEOUT_MS,
    Effect,
    FaultRule,
    FaultSpec,
    InvalidRule,
    complete,
    fires,
    parse_action,
    per_million,
    spec_of,
)

ACCOUNT = 1234567890123456


@pytest.mark.parametrize(
    ("kwargs", "effect", "code", "status", "delay"),
    [
        ({}, Effect.ERROR, "ServiceUnavailable", 503, 0),
        ({"error": "InternalError"}, Effect.ERROR, "InternalError", 500, 0),
        ({"error": "Throttling"}, Effect.ERROR, "Throttling", 400, 0),
        ({"error": "Throttling.User"}, Effect.ERROR, "Throttling.User", 400, 0),
        ({"error": "Throttling.Api"}, Effect.ERROR, "Throttling.Api", 400, 0),
        (
            {"error": "ServiceUnavailable", "status": 500},
            Effect.ERROR,
            "ServiceUnavailable",
            500,
            0,
        ),
        ({"error": "X.Y", "status": 409, "message": "m"}, Effect.ERROR, "X.Y", 409, 0),
        ({"delay_ms": 250}, Effect.DELAY, None, None, 250),
        ({"delay_ms": 0}, Effect.DELAY, None, None, 0),
        ({"timeout_ms": 900}, Effect.TIMEOUT, None, None, 900),
        ({"fail_operation": True}, Effect.FAIL_OPERATION, None, None, None),
    ],
)
def test_specs_are_completed(
    kwargs: dict[str, Any], effect: Effect, code: str | None, status: int | None, delay: int | None
) -> None:
    spec = spec_of("ecs:CopyImage", **kwargs)
    assert (spec.product, spec.action, spec.effect) == ("ecs", "CopyImage", effect)
    assert (spec.code, spec.http_status, spec.delay_ms) == (code, status, delay)
    assert (spec.message is not None) == (effect is Effect.ERROR)


@pytest.mark.parametrize(
    ("action", "kwargs", "says"),
    [
        ("CopyImage", {}, "product:Action"),
        ("ecs:", {}, "product:Action"),
        (":CopyImage", {}, "product:Action"),
        ("ecs:CopyImage", {"error": "Mine"}, "needs a status and a message"),
        ("ecs:CopyImage", {"error": "Mine", "status": 400}, "needs a status and a message"),
        ("ecs:CopyImage", {"error": "E", "status": 302, "message": "m"}, "400 to 599"),
        ("ecs:CopyImage", {"error": "E", "status": 600, "message": "m"}, "400 to 599"),
        ("ecs:CopyImage", {"delay_ms": 1, "timeout_ms": 1}, "one effect"),
        ("ecs:CopyImage", {"delay_ms": 1, "error": "InternalError"}, "one effect"),
        ("ecs:CopyImage", {"fail_operation": True, "status": 500}, "one effect"),
        ("ecs:CopyImage", {"delay_ms": -1}, "delay_ms must be"),
        ("ecs:CopyImage", {"delay_ms": 600_001}, "delay_ms must be"),
        ("ecs:CopyImage", {"count": 0}, "count must be at least 1"),
        ("ecs:CopyImage", {"probability": 0.0}, "probability"),
        ("ecs:CopyImage", {"probability": 1.01}, "probability"),
        ("ecs:CopyImage", {"account_id": 999}, "16-digit"),
    ],
)
def test_specs_are_refused_with_the_reason(action: str, kwargs: dict[str, Any], says: str) -> None:
    with pytest.raises(InvalidRule, match=says):
        spec_of(action, **kwargs)


def test_a_timeout_without_a_length_holds_for_the_default() -> None:
    completed = complete(FaultSpec("ecs", "CopyImage", Effect.TIMEOUT))
    assert completed.delay_ms == DEFAULT_TIMEOUT_MS


def test_parse_action_keeps_the_wildcard() -> None:
    assert parse_action("swas-open:*") == ("swas-open", "*")


def _rule(account_id: int | None, region: str | None) -> FaultRule:
    return FaultRule(
        1, "ecs", "CopyImage", "error", account_id, region, "E", 503, "m", 0, None,
        1_000_000, 0, 0, 0, datetime(2026, 1, 1),
    )  # fmt: skip


@pytest.mark.parametrize(
    ("rule_account", "rule_region", "account", "region", "matches"),
    [
        (None, None, ACCOUNT, "cn-hangzhou", True),
        (None, None, ACCOUNT, None, True),
        (ACCOUNT, None, ACCOUNT, "cn-hangzhou", True),
        (ACCOUNT, None, ACCOUNT + 1, "cn-hangzhou", False),
        (None, "cn-hangzhou", ACCOUNT, "cn-hangzhou", True),
        (None, "cn-hangzhou", ACCOUNT, "cn-shanghai", False),
        (None, "cn-hangzhou", ACCOUNT, None, False),
        (ACCOUNT, "cn-hangzhou", ACCOUNT, "cn-hangzhou", True),
        (ACCOUNT, "cn-hangzhou", ACCOUNT + 1, "cn-hangzhou", False),
    ],
)
def test_which_calls_a_rule_matches(
    rule_account: int | None,
    rule_region: str | None,
    account: int,
    region: str | None,
    matches: bool,
) -> None:
    assert _rule(rule_account, rule_region).matches(account, region) is matches


@given(st.integers(), st.integers(min_value=1, max_value=10**6))
def test_a_certain_rule_always_fires(seed: int, call: int) -> None:
    assert fires(1.0, seed, call)


@given(st.floats(min_value=1e-6, max_value=1.0), st.integers(), st.integers(min_value=1))
def test_the_same_seed_and_call_decide_the_same(probability: float, seed: int, call: int) -> None:
    assert fires(probability, seed, call) == fires(probability, seed, call)


@pytest.mark.parametrize("probability", [0.1, 0.5, 0.9])
def test_a_fraction_fires_on_about_that_fraction(probability: float) -> None:
    fired = sum(fires(probability, 42, n) for n in range(1, 5001))
    assert abs(fired / 5000 - probability) < 0.03


def test_different_seeds_pick_different_calls() -> None:
    assert [fires(0.5, 1, n) for n in range(1, 41)] != [fires(0.5, 2, n) for n in range(1, 41)]


@given(st.floats(min_value=1e-9, max_value=1.0))
def test_a_kept_probability_is_within_a_millionth(probability: float) -> None:
    kept = per_million(probability)
    assert 1 <= kept <= 1_000_000
    assert abs(kept / 1_000_000 - probability) <= max(0.5e-6, 1e-6 - probability)
