"""Every condition operator, true and false, plus missing and unreadable request values."""

from __future__ import annotations

from typing import Any

import pytest
from test_policy_support import allow, decide, deny

from imageshare.auth.policy import Decision
from imageshare.auth.policy_conditions import OPERATORS

TIME = "acs:CurrentTime"
IP = "acs:SourceIp"
TLS = "acs:SecureTransport"
TAG = "ecs:tag/team"
COUNT = "ecs:ImageCount"

NOW = {"acs:currenttime": "2026-11-23T10:00:00Z"}

# (operator, condition key, policy value(s), request values, holds)
CASES = [
    ("StringEquals", TAG, "dev", {TAG: "dev"}, True),
    ("StringEquals", TAG, "dev", {TAG: "Dev"}, False),
    ("StringEquals", TAG, ["ops", "dev"], {TAG: "dev"}, True),
    ("StringEquals", TAG, "dev", {}, False),
    ("StringEquals", TAG, 5, {TAG: "5"}, True),
    ("StringEquals", TAG, True, {TAG: "true"}, True),
    ("StringNotEquals", TAG, "dev", {TAG: "ops"}, True),
    ("StringNotEquals", TAG, "dev", {TAG: "dev"}, False),
    ("StringNotEquals", TAG, ["ops", "dev"], {TAG: "dev"}, False),
    ("StringNotEquals", TAG, ["ops", "dev"], {TAG: "qa"}, True),
    ("StringNotEquals", TAG, "dev", {}, True),
    ("StringEqualsIgnoreCase", TAG, "DEV", {TAG: "dev"}, True),
    ("StringEqualsIgnoreCase", TAG, "dev", {TAG: "ops"}, False),
    ("StringEqualsIgnoreCase", TAG, "dev", {}, False),
    ("StringNotEqualsIgnoreCase", TAG, "DEV", {TAG: "dev"}, False),
    ("StringNotEqualsIgnoreCase", TAG, "dev", {TAG: "ops"}, True),
    ("StringNotEqualsIgnoreCase", TAG, "dev", {}, True),
    ("StringLike", TAG, "de*", {TAG: "devops"}, True),
    ("StringLike", TAG, "d?v", {TAG: "dev"}, True),
    ("StringLike", TAG, "D*", {TAG: "dev"}, False),
    ("StringLike", TAG, "d.v", {TAG: "dev"}, False),
    ("StringLike", TAG, ["ops*", "*ev"], {TAG: "dev"}, True),
    ("StringLike", TAG, "*", {}, False),
    ("StringNotLike", TAG, "de*", {TAG: "devops"}, False),
    ("StringNotLike", TAG, "de*", {TAG: "ops"}, True),
    ("StringNotLike", TAG, "*", {}, True),
    ("NumericEquals", COUNT, "10", {COUNT: "10.0"}, True),
    ("NumericEquals", COUNT, 10, {COUNT: "11"}, False),
    ("NumericEquals", COUNT, "10", {COUNT: "ten"}, False),
    ("NumericEquals", COUNT, "10", {}, False),
    ("NumericNotEquals", COUNT, "10", {COUNT: "11"}, True),
    ("NumericNotEquals", COUNT, ["10", "11"], {COUNT: "11"}, False),
    ("NumericNotEquals", COUNT, "10", {COUNT: "ten"}, True),
    ("NumericNotEquals", COUNT, "10", {}, True),
    ("NumericLessThan", COUNT, "10", {COUNT: "9.5"}, True),
    ("NumericLessThan", COUNT, "10", {COUNT: "10"}, False),
    ("NumericLessThanEquals", COUNT, "10", {COUNT: "10"}, True),
    ("NumericLessThanEquals", COUNT, "10", {COUNT: "11"}, False),
    ("NumericGreaterThan", COUNT, "10", {COUNT: "1e2"}, True),
    ("NumericGreaterThan", COUNT, "10", {COUNT: "10"}, False),
    ("NumericGreaterThanEquals", COUNT, "-1.5", {COUNT: "-1.5"}, True),
    ("NumericGreaterThanEquals", COUNT, "-1.5", {COUNT: "-2"}, False),
    ("DateEquals", TIME, "2026-11-23T18:00:00+08:00", NOW, True),
    ("DateEquals", TIME, "2026-11-23T10:00:01Z", NOW, False),
    ("DateNotEquals", TIME, "2026-11-23T10:00:00.000Z", NOW, False),
    ("DateNotEquals", TIME, "2026-11-23T10:00:01Z", NOW, True),
    ("DateLessThan", TIME, "2026-11-23T17:00:00+08:00", NOW, False),
    ("DateLessThan", TIME, "2026-11-23T19:00:00+08:00", NOW, True),
    ("DateLessThan", TIME, "2026-11-23T10:00:00.5Z", NOW, True),
    ("DateLessThan", TIME, "2026-11-24", NOW, True),
    ("DateLessThan", TIME, "2026-11-23T10:00:00", NOW, False),
    ("DateLessThanEquals", TIME, "2026-11-23T10:00:00Z", NOW, True),
    ("DateLessThanEquals", TIME, "2026-11-23T09:59:59Z", NOW, False),
    ("DateGreaterThan", TIME, "2026-11-23T09:59:59.999999Z", NOW, True),
    ("DateGreaterThan", TIME, "2026-11-23T10:00:00Z", NOW, False),
    ("DateGreaterThanEquals", TIME, "2026-11-23T05:00:00-05:00", NOW, True),
    ("DateGreaterThanEquals", TIME, "2026-11-23T10:00:00.1Z", NOW, False),
    ("DateLessThan", TIME, "2030-01-01T00:00:00Z", {}, False),
    ("DateLessThan", TIME, "2030-01-01T00:00:00Z", {TIME: "yesterday"}, False),
    ("DateLessThan", TIME, "2030-01-01T00:00:00Z", {TIME: "2026-11-23T10:00:00.123Z"}, True),
    ("Bool", TLS, "true", {TLS: "true"}, True),
    ("Bool", TLS, True, {TLS: "True"}, True),
    ("Bool", TLS, "true", {TLS: "false"}, False),
    ("Bool", TLS, "false", {TLS: "false"}, True),
    ("Bool", TLS, "true", {TLS: "yes"}, False),
    ("Bool", TLS, "true", {}, False),
    ("IpAddress", IP, "192.0.2.0/24", {IP: "192.0.2.200"}, True),
    ("IpAddress", IP, "192.0.2.0/24", {IP: "192.0.3.1"}, False),
    ("IpAddress", IP, ["198.51.100.0/24", "203.0.113.2"], {IP: "203.0.113.2"}, True),
    ("IpAddress", IP, "203.0.113.2", {IP: "203.0.113.3"}, False),
    ("IpAddress", IP, "192.0.2.7/24", {IP: "192.0.2.1"}, True),
    ("IpAddress", IP, "2001:db8::/32", {IP: "2001:db8::1"}, True),
    ("IpAddress", IP, "2001:db8::/32", {IP: "2001:db9::1"}, False),
    ("IpAddress", IP, "192.0.2.0/24", {IP: "::ffff:192.0.2.9"}, True),
    ("IpAddress", IP, "0.0.0.0/0", {IP: "2001:db8::1"}, False),
    ("IpAddress", IP, "192.0.2.0/24", {IP: "not-an-ip"}, False),
    ("IpAddress", IP, "192.0.2.0/24", {}, False),
    ("NotIpAddress", IP, "192.0.2.0/24", {IP: "192.0.3.1"}, True),
    ("NotIpAddress", IP, ["192.0.2.0/24", "203.0.113.2"], {IP: "203.0.113.2"}, False),
    ("NotIpAddress", IP, "192.0.2.0/24", {IP: "not-an-ip"}, True),
    ("NotIpAddress", IP, "192.0.2.0/24", {}, True),
]


def _case_id(case: tuple[str, str, Any, dict[str, str], bool]) -> str:
    operator, _, wanted, values, holds = case
    got = next(iter(values.values()), "absent")
    return f"{operator}-{wanted}-{got}-{holds}"


@pytest.mark.parametrize(
    ("operator", "key", "wanted", "values", "holds"), CASES, ids=[_case_id(c) for c in CASES]
)
def test_operator(
    operator: str, key: str, wanted: Any, values: dict[str, str], holds: bool
) -> None:
    condition = {operator: {key: wanted}}
    allowed = decide([allow(Condition=condition)], values=values)
    denied = decide([allow(), deny(Condition=condition)], values=values)
    assert allowed is (Decision.ALLOW if holds else Decision.IMPLICIT_DENY)
    assert denied is (Decision.EXPLICIT_DENY if holds else Decision.ALLOW)


def test_every_documented_operator_is_covered() -> None:
    assert {case[0] for case in CASES} == set(OPERATORS)


def test_condition_key_names_are_case_insensitive() -> None:
    condition = {"IpAddress": {"ACS:SOURCEIP": "192.0.2.0/24"}}
    assert decide([allow(Condition=condition)], values={"acs:SourceIp": "192.0.2.1"}) is (
        Decision.ALLOW
    )


ENV = "ecs:tag/env"
BLOCKS = [
    pytest.param({TAG: "dev", ENV: "test", IP: "192.0.2.1"}, Decision.ALLOW, id="all-hold"),
    pytest.param({TAG: "qa", ENV: "prod", IP: "192.0.2.1"}, Decision.ALLOW, id="other-values"),
    pytest.param(
        {TAG: "dev", ENV: "test", IP: "203.0.113.1"}, Decision.IMPLICIT_DENY, id="operator-fails"
    ),
    pytest.param(
        {TAG: "ops", ENV: "test", IP: "192.0.2.1"}, Decision.IMPLICIT_DENY, id="key-fails"
    ),
    pytest.param({TAG: "dev", IP: "192.0.2.1"}, Decision.IMPLICIT_DENY, id="key-missing"),
]


@pytest.mark.parametrize(("values", "expected"), BLOCKS)
def test_keys_and_operators_are_anded_values_ored(
    values: dict[str, str], expected: Decision
) -> None:
    condition = {
        "StringEquals": {TAG: ["dev", "qa"], ENV: ["prod", "test"]},
        "IpAddress": {IP: "192.0.2.0/24"},
    }
    assert decide([allow(Condition=condition)], values=values) is expected
