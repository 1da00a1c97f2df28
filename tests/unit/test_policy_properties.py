"""Properties of the evaluator that must hold for every policy, not just the tabled ones."""

from __future__ import annotations

import fnmatch
import ipaddress
import time
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_policy_support import IMAGE, SHARE, SWAS_IMAGE, allow, decide, deny, document, request

from imageshare.auth.policy import (
    Decision,
    Policy,
    evaluate,
    evaluate_session,
    parse_policy,
)
from imageshare.auth.policy_glob import compile_glob

SETTINGS = settings(max_examples=200, deadline=None, database=None)

# fnmatch gives "[" a meaning RAM does not, so the comparison alphabet leaves it out; it
# holds regex metacharacters on purpose, to show they stay literal.
GLOB_ALPHABET = "ab.+()^$|{}\\/:-"
TEXT = st.text(alphabet=GLOB_ALPHABET, max_size=12)
PATTERN = st.text(alphabet=GLOB_ALPHABET + "*?", max_size=10)


@SETTINGS
@given(pattern=PATTERN, text=TEXT)
def test_glob_agrees_with_fnmatchcase(pattern: str, text: str) -> None:
    assert compile_glob(pattern).matches(text) == fnmatch.fnmatchcase(text, pattern)


@SETTINGS
@given(pattern=PATTERN, text=TEXT, upper=st.booleans())
def test_ignore_case_glob_agrees_with_lowered_fnmatch(pattern: str, text: str, upper: bool) -> None:
    shown = text.upper() if upper else text
    expected = fnmatch.fnmatchcase(text.lower(), pattern.lower())
    assert compile_glob(pattern, ignore_case=True).matches(shown) == expected


@SETTINGS
@given(
    literal=st.text(max_size=20).filter(lambda t: "*" not in t and "?" not in t), other=st.text()
)
def test_a_literal_pattern_matches_exactly_itself(literal: str, other: str) -> None:
    glob = compile_glob(literal)
    assert glob.matches(literal)
    assert glob.matches(other) == (other == literal)


@SETTINGS
@given(text=st.text())
def test_star_matches_everything(text: str) -> None:
    assert compile_glob("*").matches(text)
    assert compile_glob("**").matches(text)


@pytest.mark.parametrize("pattern", ["a*" * 40 + "b", "*a" * 40 + "*b*", "?*" * 40 + "b"])
def test_many_stars_do_not_backtrack(pattern: str) -> None:
    # The same shapes as a regex with one ".*" per star take exponential time here.
    started = time.perf_counter()
    assert not compile_glob(pattern).matches("a" * 5000)
    assert time.perf_counter() - started < 0.5


ACTIONS = st.sampled_from(["*", "ecs:*", "ecs:Modify*", SHARE, "ECS:modify?mage*", "swas-open:*"])
RESOURCES = st.sampled_from(["*", IMAGE, SWAS_IMAGE, "acs:ecs:*:*:image/*", "acs:swas-open:*"])
CONDITIONS = st.sampled_from(
    [
        None,
        {"IpAddress": {"acs:SourceIp": "192.0.2.0/24"}},
        {"NotIpAddress": {"acs:SourceIp": "192.0.2.0/24"}},
        {"Bool": {"acs:SecureTransport": "true"}},
        {"DateLessThan": {"acs:CurrentTime": "2026-11-23T12:00:00Z"}},
    ]
)


@st.composite
def statements(draw: st.DrawFn, effect: str | None = None) -> dict[str, Any]:
    statement: dict[str, Any] = {"Effect": effect or draw(st.sampled_from(["Allow", "Deny"]))}
    statement["NotAction" if draw(st.booleans()) else "Action"] = draw(ACTIONS)
    statement["NotResource" if draw(st.booleans()) else "Resource"] = draw(RESOURCES)
    condition = draw(CONDITIONS)
    if condition is not None:
        statement["Condition"] = condition
    return statement


POLICIES = st.lists(st.lists(statements(), min_size=1, max_size=4), max_size=4).map(
    lambda policies: [parse_policy(document(*policy)) for policy in policies]
)
REQUESTS = st.builds(
    request,
    action=st.sampled_from([SHARE, "ecs:DescribeImages", "swas-open:ListCustomImages"]),
    resource=st.sampled_from([IMAGE, SWAS_IMAGE, "*"]),
    values=st.fixed_dictionaries(
        {},
        optional={
            "acs:sourceip": st.sampled_from(["192.0.2.7", "203.0.113.1", "garbage"]),
            "acs:securetransport": st.sampled_from(["true", "false"]),
            "acs:currenttime": st.sampled_from(["2026-11-23T10:00:00Z", "2026-11-24T00:00:00Z"]),
        },
    ),
)


@SETTINGS
@given(policies=POLICIES, extra=statements(effect="Deny"), context=REQUESTS)
def test_adding_a_deny_never_grants(policies: list[Policy], extra: Any, context: Any) -> None:
    before = evaluate(policies, context)
    after = evaluate([*policies, parse_policy(document(extra))], context)
    assert after in (before, Decision.EXPLICIT_DENY)
    assert after is not Decision.ALLOW or before is Decision.ALLOW


@SETTINGS
@given(policies=POLICIES, context=REQUESTS, data=st.data())
def test_evaluation_does_not_depend_on_policy_order(
    policies: list[Policy], context: Any, data: st.DataObject
) -> None:
    shuffled = data.draw(st.permutations(policies))
    assert evaluate(shuffled, context) is evaluate(policies, context)


@SETTINGS
@given(role=POLICIES, session=POLICIES, context=REQUESTS)
def test_a_session_never_exceeds_the_role_or_its_session_policy(
    role: list[Policy], session: list[Policy], context: Any
) -> None:
    session_policy = session[0] if session else None
    decision = evaluate_session(role, session_policy, context)
    if decision is Decision.ALLOW:
        assert evaluate(role, context) is Decision.ALLOW
        assert session_policy is None or evaluate([session_policy], context) is Decision.ALLOW
    if evaluate(role, context) is Decision.EXPLICIT_DENY:
        assert decision is Decision.EXPLICIT_DENY


NUMBERS = st.integers(-(10**6), 10**6) | st.decimals(-(10**6), 10**6, places=3)


@SETTINGS
@given(limit=NUMBERS, value=NUMBERS)
def test_numeric_operators_agree_with_decimal(limit: Decimal | int, value: Decimal | int) -> None:
    values = {"ecs:count": str(value)}
    for operator, holds in [
        ("NumericLessThan", Decimal(value) < Decimal(limit)),
        ("NumericGreaterThanEquals", Decimal(value) >= Decimal(limit)),
        ("NumericNotEquals", Decimal(value) != Decimal(limit)),
    ]:
        condition = {operator: {"ecs:count": str(limit)}}
        expected = Decision.ALLOW if holds else Decision.IMPLICIT_DENY
        assert decide([allow(Condition=condition)], values=values) is expected


MOMENTS = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)
)
OFFSETS = st.integers(-14 * 60, 14 * 60).map(lambda minutes: timezone(timedelta(minutes=minutes)))


@SETTINGS
@given(limit=MOMENTS, now=MOMENTS, zone=OFFSETS)
def test_date_less_than_compares_instants_across_offsets(
    limit: datetime, now: datetime, zone: timezone
) -> None:
    condition = {"DateLessThan": {"acs:CurrentTime": limit.astimezone(zone).isoformat()}}
    values = {"acs:currenttime": now.isoformat().replace("+00:00", "Z")}
    expected = Decision.ALLOW if now < limit else Decision.IMPLICIT_DENY
    assert decide([allow(Condition=condition)], values=values) is expected


@SETTINGS
@given(address=st.ip_addresses(v=4), network=st.ip_addresses(v=4), prefix=st.integers(0, 32))
def test_ip_address_agrees_with_ipaddress(
    address: ipaddress.IPv4Address, network: ipaddress.IPv4Address, prefix: int
) -> None:
    block = ipaddress.ip_network(f"{network}/{prefix}", strict=False)
    values = {"acs:sourceip": str(address)}
    allowed = decide([allow(Condition={"IpAddress": {"acs:SourceIp": str(block)}})], values=values)
    denied = decide(
        [allow(), deny(Condition={"NotIpAddress": {"acs:SourceIp": str(block)}})], values=values
    )
    assert (allowed is Decision.ALLOW) == (address in block)
    assert (denied is Decision.EXPLICIT_DENY) == (address not in block)


@st.composite
def pattern_and_instance(draw: st.DrawFn) -> tuple[str, str]:
    pattern = draw(PATTERN)
    filled = [
        draw(TEXT) if char == "*" else draw(st.sampled_from(GLOB_ALPHABET)) if char == "?" else char
        for char in pattern
    ]
    return pattern, "".join(filled)


@SETTINGS
@given(case=pattern_and_instance())
def test_a_pattern_matches_every_instance_of_itself(case: tuple[str, str]) -> None:
    pattern, text = case
    assert compile_glob(pattern).matches(text)
    assert compile_glob(pattern, ignore_case=True).matches(text.upper())
