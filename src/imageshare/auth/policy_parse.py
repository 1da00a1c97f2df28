"""Policy documents (JSON text) to immutable :class:`Policy` objects with compiled matchers.

Permission policies (identity policies, session policies) carry Effect, Action or NotAction,
Resource or NotResource, and an optional Condition. Trust policies (a role's
AssumeRolePolicyDocument) carry Principal in place of Resource. Anything else is refused when
the policy is written, never silently ignored when a request is evaluated: a misspelt
``"Conditon"`` must not turn a narrow Allow into a broad one. See ``docs/ram-policies.md``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from enum import Enum
from functools import lru_cache

from imageshare.auth.policy_conditions import Condition, parse_conditions
from imageshare.auth.policy_glob import Glob, compile_glob
from imageshare.auth.policy_principals import Principals, parse_principals
from imageshare.auth.policy_types import PolicyError, string_values
from imageshare.values import frozen

#: CreatePolicy / CreatePolicyVersion: "The document must be 1 to 6,144 characters in length."
MAX_POLICY_LENGTH = 6144
#: STS AssumeRole ``Policy`` (the session policy): 1 to 2,048 characters since 2022-09.
MAX_SESSION_POLICY_LENGTH = 2048
#: CreateRole / UpdateRole ``AssumeRolePolicyDocument`` (docs/ram.md).
MAX_TRUST_POLICY_LENGTH = 2048

_PERMISSION_ELEMENTS = frozenset(
    {"Effect", "Action", "NotAction", "Resource", "NotResource", "Condition"}
)
_TRUST_ELEMENTS = frozenset({"Effect", "Action", "NotAction", "Principal", "Condition"})
_ACTION = re.compile(r"[^:]+:[^:]+")

_MAX_INTEGER_DIGITS = 100


class Effect(Enum):
    ALLOW = "Allow"
    DENY = "Deny"


@frozen
class Statement:
    """One parsed statement. ``principals`` is set only in trust policies."""

    effect: Effect
    actions: tuple[Glob, ...]
    not_action: bool
    resources: tuple[Glob, ...]
    not_resource: bool
    conditions: tuple[Condition, ...] = ()
    principals: Principals | None = None


@frozen
class Policy:
    """A parsed policy; ``trust`` tells a role's trust policy from a permission policy."""

    statements: tuple[Statement, ...]
    trust: bool = False


def parse_policy(document: str, *, max_length: int = MAX_POLICY_LENGTH) -> Policy:
    """Parse a permission policy (identity or session policy).

    :raises PolicyError: the document is too long, not JSON, or not a valid policy.
    """
    return _parse_cached(document, max_length, False)


def parse_trust_policy(document: str, *, max_length: int = MAX_TRUST_POLICY_LENGTH) -> Policy:
    """Parse a role's trust policy (AssumeRolePolicyDocument).

    :raises PolicyError: the document is too long, not JSON, or not a valid trust policy.
    """
    return _parse_cached(document, max_length, True)


@lru_cache(maxsize=1024)
def _parse_cached(document: str, max_length: int, trust: bool) -> Policy:
    # Policies are stored as text and evaluated on every request; parsing once per distinct
    # document is safe because everything a Policy holds is immutable.
    if not 1 <= len(document) <= max_length:
        raise PolicyError(f"policy document must be 1 to {max_length} characters long")
    return _parse_document(_load_json(document), trust)


def _reject_duplicates(pairs: list[tuple[str, object]]) -> dict[str, object]:
    result: dict[str, object] = {}
    for key, value in pairs:
        if key in result:
            raise PolicyError(f'policy document repeats the key "{key}"')
        result[key] = value
    return result


def _reject_constant(name: str) -> object:
    raise PolicyError(f"policy document must not contain {name}")


def _read_integer(digits: str) -> int:
    # Python refuses to read more than 4,300 digits; no policy needs a twentieth of that.
    if len(digits) > _MAX_INTEGER_DIGITS:
        raise PolicyError("policy document holds a number too long to read")
    return int(digits)


def _load_json(document: str) -> object:
    # A repeated key would otherwise be resolved silently (last one wins): refuse it, so
    # {"Effect": "Deny", "Effect": "Allow"} cannot mean something its author did not see.
    try:
        return json.loads(
            document,
            object_pairs_hook=_reject_duplicates,
            parse_constant=_reject_constant,
            parse_int=_read_integer,
        )
    except json.JSONDecodeError as exc:
        raise PolicyError(
            f"policy document is not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
        ) from None
    except RecursionError:
        raise PolicyError("policy document is nested too deeply") from None


def _parse_document(raw: object, trust: bool) -> Policy:
    if not isinstance(raw, dict):
        raise PolicyError("policy document must be a JSON object")
    for name in raw:
        if name not in ("Version", "Statement"):
            raise PolicyError(f'policy document has an unknown element "{name}"')
    if raw.get("Version") != "1":
        raise PolicyError('Version must be "1"')
    statements = raw.get("Statement")
    # The grammar lists statements, and the docs say a single value may stand for a
    # one-element list wherever a list is allowed; so a lone statement object is accepted.
    if isinstance(statements, dict):
        statements = [statements]
    if not isinstance(statements, list) or not statements:
        raise PolicyError("Statement must be a non-empty list of statements")
    parsed = tuple(
        _parse_statement(item, f"Statement[{index}]", trust)
        for index, item in enumerate(statements)
    )
    return Policy(parsed, trust)


def _check_elements(raw: dict[str, object], where: str, trust: bool) -> None:
    allowed = _TRUST_ELEMENTS if trust else _PERMISSION_ELEMENTS
    for name in raw:
        if name in allowed:
            continue
        if name == "Principal":
            raise PolicyError(f"{where}.Principal is only allowed in a trust policy")
        if name in ("Resource", "NotResource"):
            raise PolicyError(f"{where}.{name} is not allowed in a trust policy")
        raise PolicyError(f'{where} has an unknown element "{name}"')


def _parse_statement(raw: object, where: str, trust: bool) -> Statement:
    if not isinstance(raw, dict):
        raise PolicyError(f"{where} must be an object")
    _check_elements(raw, where, trust)
    effect = raw.get("Effect")
    if effect not in ("Allow", "Deny"):
        raise PolicyError(f'{where}.Effect must be "Allow" or "Deny"')
    actions, not_action = _patterns(raw, ("Action", "NotAction"), where, _action_glob)
    resources: tuple[Glob, ...] = ()
    not_resource = False
    if not trust:
        resources, not_resource = _patterns(raw, ("Resource", "NotResource"), where, _resource_glob)
    conditions = (
        parse_conditions(raw["Condition"], f"{where}.Condition") if "Condition" in raw else ()
    )
    principals = parse_principals(raw.get("Principal"), f"{where}.Principal") if trust else None
    return Statement(
        Effect(effect), actions, not_action, resources, not_resource, conditions, principals
    )


def _patterns(
    raw: dict[str, object],
    names: tuple[str, str],
    where: str,
    compile_one: Callable[[str, str], Glob],
) -> tuple[tuple[Glob, ...], bool]:
    present = [name for name in names if name in raw]
    if len(present) != 1:
        raise PolicyError(f"{where} must have exactly one of {names[0]} or {names[1]}")
    name = present[0]
    globs = tuple(
        compile_one(value, at) for value, at in string_values(raw[name], f"{where}.{name}")
    )
    return globs, name == names[1]


def _action_glob(value: str, where: str) -> Glob:
    if value != "*" and not _ACTION.fullmatch(value):
        raise PolicyError(f'{where} must be "*" or "<ram-code>:<action-name>"')
    # The docs say action names are "in most cases not case-sensitive"; we make it always.
    return compile_glob(value, ignore_case=True)


def _resource_glob(value: str, where: str) -> Glob:
    # Only the "acs:" prefix is checked: "acs:ecs:*" is a usable pattern even though it
    # has fewer fields than a full ARN.
    if value != "*" and not value.startswith("acs:"):
        raise PolicyError(f'{where} must be "*" or an ARN beginning with "acs:"')
    return compile_glob(value)
