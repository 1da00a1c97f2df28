"""Trust policies (a role's AssumeRolePolicyDocument): parsing and who they trust."""

from __future__ import annotations

import json
from typing import Any

import pytest
from test_policy_support import ACCOUNT, OTHER_ACCOUNT, allow, document

from imageshare.auth.policy import (
    MAX_TRUST_POLICY_LENGTH,
    PolicyError,
    parse_policy,
    parse_trust_policy,
    trusts,
)

ROOT = f"acs:ram::{ACCOUNT}:root"
ALICE = f"acs:ram::{ACCOUNT}:user/alice"
BOB = f"acs:ram::{ACCOUNT}:user/bob"
ADMIN_ROLE = f"acs:ram::{ACCOUNT}:role/admin"
OTHER_ROOT = f"acs:ram::{OTHER_ACCOUNT}:root"
OTHER_ALICE = f"acs:ram::{OTHER_ACCOUNT}:user/alice"


def trust(principal: Any, effect: str = "Allow", **extra: Any) -> dict[str, Any]:
    return {"Effect": effect, "Action": "sts:AssumeRole", "Principal": principal, **extra}


def _trusts(statements: list[dict[str, Any]], callers: list[str], **values: str) -> bool:
    return trusts(parse_trust_policy(document(*statements)), callers, values)


TRUSTED = [
    pytest.param([trust({"RAM": [ROOT]})], [ALICE], True, id="root-trusts-user"),
    pytest.param([trust({"RAM": ROOT})], [ROOT], True, id="root-trusts-root"),
    pytest.param([trust({"RAM": ROOT})], [f"{ADMIN_ROLE}/session"], True, id="root-trusts-session"),
    pytest.param([trust({"RAM": ROOT})], [OTHER_ALICE], False, id="root-not-other-account"),
    pytest.param(
        [trust({"RAM": f"acs:ram::{ACCOUNT[:-1]}:root"})], [ALICE], False, id="root-prefix-account"
    ),
    pytest.param([trust({"RAM": ALICE})], [ALICE], True, id="user-exact"),
    pytest.param([trust({"RAM": ALICE})], [BOB], False, id="user-other"),
    pytest.param([trust({"RAM": ALICE})], [ROOT], False, id="user-not-root"),
    pytest.param([trust({"RAM": ALICE})], [f"{ALICE}x"], False, id="user-prefix"),
    pytest.param([trust({"RAM": ALICE})], [ALICE.upper()], False, id="user-case"),
    pytest.param([trust({"RAM": ADMIN_ROLE})], [f"{ADMIN_ROLE}/ci"], True, id="role-session"),
    pytest.param([trust({"RAM": ADMIN_ROLE})], [f"{ADMIN_ROLE}s/ci"], False, id="role-other"),
    pytest.param([trust({"RAM": ADMIN_ROLE})], [ADMIN_ROLE], True, id="role-itself"),
    pytest.param(
        [trust({"RAM": ADMIN_ROLE.replace("admin", "Admin")})],
        [f"{ADMIN_ROLE}/ci"],
        True,
        id="role-name-case",
    ),
    pytest.param(
        [trust({"RAM": ADMIN_ROLE})],
        [f"acs:ram::{OTHER_ACCOUNT}:role/admin/ci"],
        False,
        id="role-other-account",
    ),
    pytest.param([trust({"RAM": [OTHER_ROOT, ALICE]})], [BOB, ALICE], True, id="any-name"),
    pytest.param([trust({"Service": "ecs.aliyuncs.com"})], ["ecs.aliyuncs.com"], True, id="svc"),
    pytest.param(
        [trust({"Service": "ECS.aliyuncs.com"})], ["ecs.aliyuncs.com"], True, id="svc-case"
    ),
    pytest.param([trust({"Service": "ecs.aliyuncs.com"})], [ROOT], False, id="svc-not-account"),
    pytest.param([trust({"RAM": ROOT})], ["ecs.aliyuncs.com"], False, id="account-not-svc"),
    pytest.param(
        [trust({"Federated": f"acs:ram::{ACCOUNT}:saml-provider/idp"})],
        [f"acs:ram::{ACCOUNT}:saml-provider/idp"],
        True,
        id="federated",
    ),
    pytest.param(
        [trust({"RAM": ROOT}), trust({"RAM": ALICE}, "Deny")], [ALICE], False, id="deny-wins"
    ),
    pytest.param(
        [trust({"RAM": ROOT}), trust({"RAM": ALICE}, "Deny")], [BOB], True, id="deny-other"
    ),
    pytest.param([{**trust({"RAM": ROOT}), "Action": "sts:*"}], [ALICE], True, id="action-star"),
    pytest.param(
        [{**trust({"RAM": ROOT}), "Action": "sts:AssumeRoleWithSAML"}],
        [ALICE],
        False,
        id="other-action",
    ),
    pytest.param([trust({"RAM": ROOT})], [], False, id="no-caller"),
]


@pytest.mark.parametrize(("statements", "callers", "expected"), TRUSTED)
def test_who_is_trusted(
    statements: list[dict[str, Any]], callers: list[str], expected: bool
) -> None:
    assert _trusts(statements, callers) is expected


def test_trust_conditions_use_the_request_values() -> None:
    statement = trust({"RAM": ROOT}, Condition={"IpAddress": {"acs:SourceIp": "192.0.2.0/24"}})
    assert _trusts([statement], [ALICE], **{"acs:SourceIp": "192.0.2.1"})
    assert not _trusts([statement], [ALICE], **{"acs:SourceIp": "203.0.113.1"})
    assert not _trusts([statement], [ALICE])


def test_a_permission_policy_cannot_be_used_as_trust() -> None:
    with pytest.raises(ValueError, match="trust policy"):
        trusts(parse_policy(document(allow())), [ROOT])


WHERE = "Statement[0].Principal"
MALFORMED = [
    pytest.param(trust(None), f'{WHERE} must be an object naming "RAM", "Service" or "Federated"'),
    pytest.param(trust({}), f'{WHERE} must be an object naming "RAM", "Service" or "Federated"'),
    pytest.param(trust("*"), f'{WHERE} must be an object naming "RAM", "Service" or "Federated"'),
    pytest.param(trust({"AWS": ROOT}), f'{WHERE} has an unknown principal type "AWS"'),
    pytest.param(
        trust({"RAM": ACCOUNT}),
        f'{WHERE}.RAM must be an ARN like "acs:ram::<account-id>:root", "...:user/<name>" or '
        '"...:role/<name>"',
        id="bare-account-id",
    ),
    pytest.param(
        trust({"RAM": [ROOT, "acs:ram::*:root"]}),
        f'{WHERE}.RAM[1] must be an ARN like "acs:ram::<account-id>:root", "...:user/<name>" or '
        '"...:role/<name>"',
        id="wildcard-account",
    ),
    pytest.param(
        trust({"RAM": []}), f"{WHERE}.RAM must be a string or a non-empty list of strings"
    ),
    pytest.param(
        trust({"Service": "ecs aliyuncs"}),
        f'{WHERE}.Service must be a service name like "ecs.aliyuncs.com"',
    ),
    pytest.param(
        trust({"Federated": "idp"}),
        f'{WHERE}.Federated must be an ARN like "acs:ram::<account-id>:saml-provider/<name>"',
    ),
    pytest.param(
        trust({"RAM": ROOT}, Resource="*"), "Statement[0].Resource is not allowed in a trust policy"
    ),
    pytest.param(
        {"Effect": "Allow", "Principal": {"RAM": ROOT}},
        "Statement[0] must have exactly one of Action or NotAction",
    ),
]


@pytest.mark.parametrize(("statement", "message"), MALFORMED)
def test_malformed_trust_policies(statement: dict[str, Any], message: str) -> None:
    with pytest.raises(PolicyError) as caught:
        parse_trust_policy(document(statement))
    assert str(caught.value) == message


def test_the_documented_example_parses() -> None:
    example = {
        "Statement": [
            {"Action": "sts:AssumeRole", "Effect": "Allow", "Principal": {"RAM": [ROOT]}}
        ],
        "Version": "1",
    }
    assert trusts(parse_trust_policy(json.dumps(example)), [ALICE])


def test_trust_policies_are_limited_to_2048_characters() -> None:
    statement = trust({"RAM": ROOT})
    text = document(statement).replace("{", "{" + " " * (MAX_TRUST_POLICY_LENGTH - 150), 1)
    assert len(text) <= MAX_TRUST_POLICY_LENGTH < len(text + " " * 200)
    parse_trust_policy(text)
    with pytest.raises(PolicyError, match="1 to 2048 characters"):
        parse_trust_policy(text.replace(" ", "  ", 200))
