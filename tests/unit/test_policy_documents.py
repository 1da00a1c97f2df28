"""Parsing policy documents: what is accepted, and the exact message for what is refused."""

from __future__ import annotations

import json
from typing import Any

import pytest
from test_policy_support import IMAGE, allow, decide, document, request

from imageshare.auth.policy import (
    MAX_POLICY_LENGTH,
    MAX_SESSION_POLICY_LENGTH,
    Decision,
    PolicyError,
    evaluate,
    parse_policy,
)

CONDITION = "Statement[0].Condition"


def _doc(**top: Any) -> str:
    return json.dumps(top)


def _statement(**fields: Any) -> str:
    return document(fields)


MALFORMED = [
    pytest.param("", "policy document must be 1 to 6144 characters long", id="empty"),
    pytest.param("{", "policy document is not valid JSON: ", id="not-json"),
    pytest.param("NaN", "policy document must not contain NaN", id="nan"),
    pytest.param("[]", "policy document must be a JSON object", id="not-object"),
    pytest.param(
        '{"Version": "1", "Version": "1", "Statement": []}',
        'policy document repeats the key "Version"',
        id="duplicate-key",
    ),
    pytest.param(
        '{"Version": "1", "Statement": [{"Effect": "Deny", "Effect": "Allow"}]}',
        'policy document repeats the key "Effect"',
        id="duplicate-effect",
    ),
    pytest.param(
        _doc(Version="1", Statement=[allow()], Id="x"),
        'policy document has an unknown element "Id"',
        id="unknown-top-level",
    ),
    pytest.param(_doc(Statement=[allow()]), 'Version must be "1"', id="no-version"),
    pytest.param(_doc(Version="2", Statement=[allow()]), 'Version must be "1"', id="version-2"),
    pytest.param(_doc(Version=1, Statement=[allow()]), 'Version must be "1"', id="version-number"),
    pytest.param(
        _doc(Version="1"), "Statement must be a non-empty list of statements", id="no-statement"
    ),
    pytest.param(
        _doc(Version="1", Statement=[]),
        "Statement must be a non-empty list of statements",
        id="empty-statement",
    ),
    pytest.param(
        _doc(Version="1", Statement="x"),
        "Statement must be a non-empty list of statements",
        id="statement-string",
    ),
    pytest.param(
        _doc(Version="1", Statement=[allow(), "x"]),
        "Statement[1] must be an object",
        id="statement-item",
    ),
    pytest.param(
        _statement(Effect="allow", Action="*", Resource="*"),
        'Statement[0].Effect must be "Allow" or "Deny"',
        id="effect-case",
    ),
    pytest.param(
        _statement(Action="*", Resource="*"),
        'Statement[0].Effect must be "Allow" or "Deny"',
        id="effect-missing",
    ),
    pytest.param(
        document(allow(), allow(Sid="x")),
        'Statement[1] has an unknown element "Sid"',
        id="unknown-element",
    ),
    pytest.param(
        document(allow(Conditon={})),
        'Statement[0] has an unknown element "Conditon"',
        id="misspelt-condition",
    ),
    pytest.param(
        document(allow(Principal={"RAM": "acs:ram::1234567890123456:root"})),
        "Statement[0].Principal is only allowed in a trust policy",
        id="principal",
    ),
    pytest.param(
        _statement(Effect="Allow", Resource="*"),
        "Statement[0] must have exactly one of Action or NotAction",
        id="no-action",
    ),
    pytest.param(
        document(allow(NotAction="ram:*")),
        "Statement[0] must have exactly one of Action or NotAction",
        id="action-and-notaction",
    ),
    pytest.param(
        _statement(Effect="Allow", Action="*"),
        "Statement[0] must have exactly one of Resource or NotResource",
        id="no-resource",
    ),
    pytest.param(
        document(allow(NotResource="*")),
        "Statement[0] must have exactly one of Resource or NotResource",
        id="resource-and-notresource",
    ),
    pytest.param(
        document(allow(action=[])),
        "Statement[0].Action must be a string or a non-empty list of strings",
        id="action-empty-list",
    ),
    pytest.param(
        document(allow(action=["ecs:*", 5])),
        "Statement[0].Action must be a string or a non-empty list of strings",
        id="action-number",
    ),
    pytest.param(
        document(allow(action="DescribeImages")),
        'Statement[0].Action must be "*" or "<ram-code>:<action-name>"',
        id="action-no-service",
    ),
    pytest.param(
        document(allow(action=["ecs:*", ""])),
        'Statement[0].Action[1] must be "*" or "<ram-code>:<action-name>"',
        id="action-empty-string",
    ),
    pytest.param(
        document(allow(resource="image/m-abc")),
        'Statement[0].Resource must be "*" or an ARN beginning with "acs:"',
        id="resource-not-arn",
    ),
    pytest.param(
        document(allow(resource=[IMAGE, {"arn": IMAGE}])),
        "Statement[0].Resource must be a string or a non-empty list of strings",
        id="resource-object",
    ),
    pytest.param(
        document(allow(Condition=[])), f"{CONDITION} must be an object", id="condition-list"
    ),
    pytest.param(
        document(allow(Condition={"StringEqual": {"acs:SourceIp": "x"}})),
        f'{CONDITION} has an unknown operator "StringEqual"',
        id="unknown-operator",
    ),
    pytest.param(
        document(allow(Condition={"stringequals": {"a:b": "x"}})),
        f'{CONDITION} has an unknown operator "stringequals"',
        id="operator-case",
    ),
    pytest.param(
        document(allow(Condition={"StringEquals": {}})),
        f"{CONDITION}.StringEquals must map at least one condition key to its values",
        id="operator-empty",
    ),
    pytest.param(
        document(allow(Condition={"StringEquals": "x"})),
        f"{CONDITION}.StringEquals must map at least one condition key to its values",
        id="operator-string",
    ),
    pytest.param(
        document(allow(Condition={"StringEquals": {"SourceIp": "x"}})),
        f'{CONDITION}.StringEquals key "SourceIp" must look like "<prefix>:<name>"',
        id="key-without-prefix",
    ),
    pytest.param(
        document(allow(Condition={"StringEquals": {"a:b": []}})),
        f"{CONDITION}.StringEquals.a:b must hold at least one value",
        id="values-empty",
    ),
    pytest.param(
        document(allow(Condition={"StringEquals": {"a:b": None}})),
        f"{CONDITION}.StringEquals.a:b must be a string, a number or a boolean",
        id="value-null",
    ),
    pytest.param(
        document(allow(Condition={"StringEquals": {"a:b": ["x", {"y": 1}]}})),
        f"{CONDITION}.StringEquals.a:b[1] must be a string, a number or a boolean",
        id="value-object",
    ),
    pytest.param(
        document(allow(Condition={"NumericLessThan": {"a:b": "ten"}})),
        f"{CONDITION}.NumericLessThan.a:b must be a number",
        id="numeric-word",
    ),
    pytest.param(
        document(allow(Condition={"NumericLessThan": {"a:b": ["1", "Infinity"]}})),
        f"{CONDITION}.NumericLessThan.a:b[1] must be a number",
        id="numeric-infinity",
    ),
    pytest.param(
        document(allow(Condition={"DateLessThan": {"acs:CurrentTime": "tomorrow"}})),
        f"{CONDITION}.DateLessThan.acs:CurrentTime must be an ISO 8601 date-time",
        id="date-word",
    ),
    pytest.param(
        document(allow(Condition={"DateLessThan": {"acs:CurrentTime": 1700000000}})),
        f"{CONDITION}.DateLessThan.acs:CurrentTime must be an ISO 8601 date-time",
        id="date-epoch",
    ),
    pytest.param(
        document(allow(Condition={"Bool": {"acs:SecureTransport": "yes"}})),
        f'{CONDITION}.Bool.acs:SecureTransport must be "true" or "false"',
        id="bool-yes",
    ),
    pytest.param(
        document(allow(Condition={"IpAddress": {"acs:SourceIp": "192.0.2.0/33"}})),
        f"{CONDITION}.IpAddress.acs:SourceIp must be an IP address or CIDR block",
        id="ip-prefix",
    ),
    pytest.param(
        document(allow(Condition={"NotIpAddress": {"acs:SourceIp": ["10.0.0.0/8", "host"]}})),
        f"{CONDITION}.NotIpAddress.acs:SourceIp[1] must be an IP address or CIDR block",
        id="ip-name",
    ),
]


@pytest.mark.parametrize(("text", "message"), MALFORMED)
def test_malformed_documents_are_refused_with_a_message(text: str, message: str) -> None:
    with pytest.raises(PolicyError) as caught:
        parse_policy(text)
    if message.endswith(": "):
        assert str(caught.value).startswith(message)
    else:
        assert str(caught.value) == message


def test_length_limits() -> None:
    padded = document(allow()).replace("{", "{" + " " * (MAX_POLICY_LENGTH - 200), 1)
    assert len(padded) <= MAX_POLICY_LENGTH
    parse_policy(padded)
    too_long = padded.replace(" ", "  ", 200)
    assert len(too_long) > MAX_POLICY_LENGTH
    with pytest.raises(PolicyError, match="1 to 6144 characters"):
        parse_policy(too_long)
    with pytest.raises(PolicyError, match="1 to 2048 characters"):
        parse_policy(padded, max_length=MAX_SESSION_POLICY_LENGTH)


ACCEPTED = [
    pytest.param(
        json.dumps({"Version": "1", "Statement": allow()}), Decision.ALLOW, id="lone-statement"
    ),
    pytest.param(document(allow(action=["ecs:*"], resource=[IMAGE])), Decision.ALLOW, id="lists"),
    pytest.param(document(allow(Condition={})), Decision.ALLOW, id="empty-condition"),
    pytest.param(
        document(allow(Condition={"NumericEquals": {"a:b": 1.5}})),
        Decision.IMPLICIT_DENY,
        id="json-number-value",
    ),
    pytest.param(
        json.dumps({"Statement": [allow()], "Version": "1"}, indent=4),
        Decision.ALLOW,
        id="reordered-and-indented",
    ),
]


@pytest.mark.parametrize(("text", "expected"), ACCEPTED)
def test_accepted_forms(text: str, expected: Decision) -> None:
    assert evaluate([parse_policy(text)], request()) is expected


def test_parsing_is_cached_per_document() -> None:
    text = document(allow(action="ecs:Describe*"))
    assert parse_policy(text) is parse_policy(text)


def test_a_statement_with_a_false_condition_is_ignored_not_an_error() -> None:
    condition = {"StringEquals": {"acs:SecureTransport": "true"}}
    assert decide([allow(Condition=condition)]) is Decision.IMPLICIT_DENY
