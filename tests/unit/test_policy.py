"""The policy evaluator, table by table: matching, Deny over Allow, NotAction, sessions, root."""

from __future__ import annotations

from typing import Any

import pytest
from test_policy_support import (
    ACCOUNT,
    IMAGE,
    OTHER_ACCOUNT,
    SHARE,
    SWAS_IMAGE,
    allow,
    decide,
    deny,
    document,
    request,
)

from imageshare.auth.policy import (
    Decision,
    RequestContext,
    evaluate,
    evaluate_root,
    evaluate_session,
    parse_policy,
    parse_trust_policy,
)

ALLOW, EXPLICIT, IMPLICIT = Decision.ALLOW, Decision.EXPLICIT_DENY, Decision.IMPLICIT_DENY

ACTIONS = [
    pytest.param("ecs:ModifyImageSharePermission", SHARE, True, id="exact"),
    pytest.param("ECS:modifyimagesharepermission", SHARE, True, id="case-insensitive-pattern"),
    pytest.param(
        "ecs:ModifyImageSharePermission", SHARE.upper(), True, id="case-insensitive-request"
    ),
    pytest.param("*", SHARE, True, id="star-everything"),
    pytest.param("ecs:*", SHARE, True, id="star-service"),
    pytest.param("ecs:Modify*", SHARE, True, id="star-prefix"),
    pytest.param("ecs:*Permission", SHARE, True, id="star-suffix"),
    pytest.param("ecs:Modify*Share*", SHARE, True, id="two-stars"),
    pytest.param("ecs:ModifyImageSharePermissio?", SHARE, True, id="question-one-char"),
    pytest.param("ecs:ModifyImageSharePermission?", SHARE, False, id="question-needs-a-char"),
    pytest.param("ecs:Modify", SHARE, False, id="no-implicit-prefix"),
    pytest.param("swas-open:*", SHARE, False, id="other-service"),
    pytest.param("ecs:Describe*", SHARE, False, id="other-action"),
    pytest.param("ecs:Modify.mageSharePermission", SHARE, False, id="dot-is-literal"),
    pytest.param("ecs:Modify.*", "ecs:Modify.x", True, id="dot-then-star"),
    pytest.param("ecs:Modify.*", "ecs:ModifyX", False, id="dot-then-star-literal"),
]


@pytest.mark.parametrize(("pattern", "action", "matches"), ACTIONS)
def test_action_matching(pattern: str, action: str, matches: bool) -> None:
    expected = ALLOW if matches else IMPLICIT
    assert decide([allow(action=pattern)], action=action) is expected


RESOURCES = [
    pytest.param(IMAGE, IMAGE, True, id="exact"),
    pytest.param("acs:ecs:*:*:image/m-abc", IMAGE, True, id="any-region-and-account"),
    pytest.param(f"acs:ecs:*:{OTHER_ACCOUNT}:image/*", IMAGE, False, id="other-account"),
    pytest.param("acs:ecs:*:*:image/M-ABC", IMAGE, False, id="case-sensitive"),
    pytest.param("acs:ecs:*:*:image/m-a.c", IMAGE, False, id="dot-is-literal"),
    pytest.param("acs:ecs:*:*:image/m-a.c", IMAGE.replace("m-abc", "m-a.c"), True, id="dot-self"),
    pytest.param("acs:ecs:*:*:image/m-a+c", IMAGE.replace("abc", "aac"), False, id="plus-literal"),
    pytest.param(
        "acs:ecs:*:*:image/m-[ab]c", IMAGE.replace("abc", "bc"), False, id="class-literal"
    ),
    pytest.param(
        "acs:ecs:*:*:image/m-[ab]c", IMAGE.replace("abc", "[ab]c"), True, id="brackets-self"
    ),
    pytest.param("acs:ecs:*:*:image/(m-abc)", IMAGE, False, id="parens-literal"),
    pytest.param("acs:ecs:*:*:image/m-a\\bc", IMAGE, False, id="backslash-literal"),
    pytest.param("acs:ecs:*:*:image/m-a?c", IMAGE, True, id="question-one-char"),
    pytest.param("acs:ecs:*:*:image/m-a?", IMAGE, False, id="question-not-two"),
    pytest.param("acs:ecs:*:*:image/*", IMAGE, True, id="star-suffix"),
    pytest.param("acs:ecs:*:*:instance/*", IMAGE, False, id="other-type"),
    pytest.param("*", IMAGE, True, id="star-everything"),
    pytest.param("*", "*", True, id="all-resources-by-star"),
    pytest.param("acs:*", "*", False, id="all-resources-not-by-prefix"),
    pytest.param("acs:ecs:*:*:image/*", "*", False, id="all-resources-not-by-image-pattern"),
    pytest.param("acs:ecs:*:*:*", "*", False, id="all-resources-not-by-wild-arn"),
]


@pytest.mark.parametrize(("pattern", "resource", "matches"), RESOURCES)
def test_resource_matching(pattern: str, resource: str, matches: bool) -> None:
    expected = ALLOW if matches else IMPLICIT
    assert decide([allow(resource=pattern)], resource=resource) is expected


SOURCE_OK = {"acs:sourceip": "192.0.2.9"}
SOURCE_BAD = {"acs:sourceip": "203.0.113.9"}
FROM_OFFICE = {"NotIpAddress": {"acs:SourceIp": "192.0.2.0/24"}}

DECISIONS = [
    pytest.param(
        [allow(action="ecs:Describe*"), deny(action="swas-open:*")],
        {},
        IMPLICIT,
        id="no-statement-applies",
    ),
    pytest.param([allow()], {}, ALLOW, id="allow"),
    pytest.param([allow(action="ecs:Describe*")], {}, IMPLICIT, id="allow-other-action"),
    pytest.param([allow(resource=SWAS_IMAGE)], {}, IMPLICIT, id="allow-other-resource"),
    pytest.param([deny()], {}, EXPLICIT, id="deny-alone"),
    pytest.param([allow(), deny()], {}, EXPLICIT, id="deny-after-allow"),
    pytest.param([deny(), allow()], {}, EXPLICIT, id="deny-before-allow"),
    pytest.param([allow(), deny(action="ecs:Describe*")], {}, ALLOW, id="deny-other-action"),
    pytest.param([allow(), deny(resource=SWAS_IMAGE)], {}, ALLOW, id="deny-other-resource"),
    pytest.param([allow(), deny(Condition=FROM_OFFICE)], SOURCE_OK, ALLOW, id="deny-cond-false"),
    pytest.param([allow(), deny(Condition=FROM_OFFICE)], SOURCE_BAD, EXPLICIT, id="deny-cond-true"),
    pytest.param([allow(), deny(Condition=FROM_OFFICE)], {}, EXPLICIT, id="deny-cond-no-ip"),
    pytest.param([allow(action=[SHARE, "ecs:Describe*"])], {}, ALLOW, id="action-list"),
    pytest.param([allow(resource=[SWAS_IMAGE, IMAGE])], {}, ALLOW, id="resource-list"),
]


@pytest.mark.parametrize(("statements", "values", "expected"), DECISIONS)
def test_decision_within_one_policy(
    statements: list[dict[str, Any]], values: dict[str, str], expected: Decision
) -> None:
    assert decide(statements, values=values) is expected


def _not(element: str, value: Any, effect: str = "Allow") -> dict[str, Any]:
    statement: dict[str, Any] = {"Effect": effect, "Action": "*", "Resource": "*"}
    del statement[element]
    statement["Not" + element] = value
    return statement


NEGATIONS = [
    pytest.param([_not("Action", "ram:*")], SHARE, IMAGE, ALLOW, id="notaction-allows-others"),
    pytest.param([_not("Action", "ecs:*")], SHARE, IMAGE, IMPLICIT, id="notaction-excludes"),
    pytest.param([_not("Action", "ECS:MODIFY*")], SHARE, IMAGE, IMPLICIT, id="notaction-case"),
    pytest.param(
        [allow(), _not("Action", "ecs:Describe*", "Deny")],
        SHARE,
        IMAGE,
        EXPLICIT,
        id="deny-notaction-covers-others",
    ),
    pytest.param(
        [allow(), _not("Action", "ecs:Modify*", "Deny")],
        SHARE,
        IMAGE,
        ALLOW,
        id="deny-notaction-spares-listed",
    ),
    pytest.param([_not("Resource", SWAS_IMAGE)], SHARE, IMAGE, ALLOW, id="notresource-others"),
    pytest.param([_not("Resource", "acs:ecs:*")], SHARE, IMAGE, IMPLICIT, id="notresource-excl"),
    pytest.param([_not("Resource", IMAGE)], SHARE, "*", ALLOW, id="notresource-all-resources"),
    pytest.param([_not("Resource", "*")], SHARE, "*", IMPLICIT, id="notresource-star"),
    pytest.param(
        [allow(), _not("Resource", "acs:ecs:*:*:image/m-a*", "Deny")],
        SHARE,
        IMAGE,
        ALLOW,
        id="deny-notresource-spares-listed",
    ),
]


@pytest.mark.parametrize(("statements", "action", "resource", "expected"), NEGATIONS)
def test_not_action_and_not_resource(
    statements: list[dict[str, Any]], action: str, resource: str, expected: Decision
) -> None:
    assert decide(statements, action=action, resource=resource) is expected


ACROSS = [
    pytest.param([[allow()], [deny()]], EXPLICIT, id="deny-in-second-policy"),
    pytest.param([[deny()], [allow()]], EXPLICIT, id="deny-in-first-policy"),
    pytest.param([[allow(action="ecs:*")], [allow(resource="acs:ecs:*:*:*")]], ALLOW, id="allows"),
    pytest.param(
        [[allow(action="swas-open:*")], [allow(resource=SWAS_IMAGE)]], IMPLICIT, id="none"
    ),
    pytest.param([], IMPLICIT, id="no-policies"),
]


@pytest.mark.parametrize(("policies", "expected"), ACROSS)
def test_decision_across_policies(policies: list[list[dict[str, Any]]], expected: Decision) -> None:
    parsed = [parse_policy(document(*statements)) for statements in policies]
    assert evaluate(parsed, request()) is expected
    assert evaluate(reversed(parsed), request()) is expected


SESSIONS = [
    pytest.param([allow()], None, ALLOW, id="no-session-policy-role-allows"),
    pytest.param([], None, IMPLICIT, id="no-session-policy-role-silent"),
    pytest.param([allow()], [allow(action="ecs:Modify*")], ALLOW, id="both-allow"),
    pytest.param([allow()], [allow(action="ecs:Describe*")], IMPLICIT, id="session-narrows"),
    pytest.param([allow(action="ecs:Describe*")], [allow()], IMPLICIT, id="session-cannot-widen"),
    pytest.param([], [allow()], IMPLICIT, id="session-alone-grants-nothing"),
    pytest.param([allow()], [allow(), deny()], EXPLICIT, id="session-deny"),
    pytest.param([allow(), deny()], [allow()], EXPLICIT, id="role-deny"),
    pytest.param([deny()], [deny(action="ecs:Describe*")], EXPLICIT, id="role-deny-session-silent"),
    pytest.param([], [deny()], EXPLICIT, id="session-deny-role-silent"),
]


@pytest.mark.parametrize(("role", "session", "expected"), SESSIONS)
def test_role_session_is_limited_by_both(
    role: list[dict[str, Any]], session: list[dict[str, Any]] | None, expected: Decision
) -> None:
    role_policies = [parse_policy(document(*role))] if role else []
    session_policy = parse_policy(document(*session)) if session is not None else None
    assert evaluate_session(role_policies, session_policy, request()) is expected


ROOT = [
    pytest.param(IMAGE, ALLOW, id="own-image"),
    pytest.param(SWAS_IMAGE, ALLOW, id="own-swas-image"),
    pytest.param("*", ALLOW, id="all-resources"),
    pytest.param(IMAGE.replace(ACCOUNT, OTHER_ACCOUNT), IMPLICIT, id="other-account"),
    pytest.param(f"acs:ecs:cn-hangzhou:{ACCOUNT}0:image/m-abc", IMPLICIT, id="longer-account"),
    pytest.param(f"acs:ram::{ACCOUNT}:role/admin", ALLOW, id="global-resource"),
    pytest.param("not-an-arn", IMPLICIT, id="malformed"),
]


@pytest.mark.parametrize(("resource", "expected"), ROOT)
def test_root_may_do_everything_on_its_own_resources(resource: str, expected: Decision) -> None:
    assert evaluate_root(ACCOUNT, request(resource=resource)) is expected
    assert evaluate_root(int(ACCOUNT), request(resource=resource)) is expected


def test_request_context_lowercases_condition_keys() -> None:
    context = RequestContext(SHARE, IMAGE, {"ACS:SourceIp": "192.0.2.1"})
    assert dict(context.values) == {"acs:sourceip": "192.0.2.1"}


def test_a_trust_policy_is_not_a_permission_policy() -> None:
    trust = parse_trust_policy(
        document(
            {"Effect": "Allow", "Action": "*", "Principal": {"RAM": f"acs:ram::{ACCOUNT}:root"}}
        )
    )
    with pytest.raises(ValueError, match="trust policy"):
        evaluate([trust], request())
    with pytest.raises(ValueError, match="trust policy"):
        evaluate_session([], trust, request())
