"""RAM entries of one account: names, policy documents, and which policies are meant.

A policy named by a user, group or role is the account's custom policy of that name when the
file declares one, else the system policy of that name (RAM reserves system names, so the
two never clash).
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from imageshare.auth.policy import PolicyError, parse_policy, parse_trust_policy
from imageshare.domain import ram
from imageshare.domain.ram_system_policies import SYSTEM_POLICIES
from imageshare.world.model import RamSpec
from imageshare.world.problems import Path

if TYPE_CHECKING:
    from imageshare.world.checks import Report


def document_text(document: Any) -> str | None:
    """The JSON text of a policy document given as a mapping or as text; None for neither.

    YAML reads ``Version: 1`` as a number, and the policy language wants the string "1": a
    mapping's number 1 is written as "1", the one thing a YAML author cannot mean otherwise.
    """
    if isinstance(document, str):
        return document
    if not isinstance(document, dict):
        return None
    if document.get("Version") == 1 and not isinstance(document["Version"], bool):
        document = {**document, "Version": "1"}
    return json.dumps(document, ensure_ascii=False)


def policy_type(ram_spec: RamSpec, name: str) -> str:
    """``ram.CUSTOM`` when the account declares a policy of that name, else ``ram.SYSTEM``."""
    return ram.CUSTOM if name in {p.name for p in ram_spec.policies} else ram.SYSTEM


def check_ram(spec: RamSpec, path: Path, report: Report) -> None:
    for i, policy in enumerate(spec.policies):
        at: Path = (*path, "policies", i)
        _name(report, (*at, "name"), policy.name, ram.POLICY_NAME, ram.POLICY_NAME_MAX)
        if policy.name in SYSTEM_POLICIES:
            report((*at, "name"), f'"{policy.name}" is a system policy\'s name: choose another')
        _document(report, (*at, "document"), policy.document, parse_policy)
    report.unique(_named(spec.policies, (*path, "policies")), "custom policy")
    custom = {p.name for p in spec.policies}
    for i, user in enumerate(spec.users):
        at = (*path, "users", i)
        _name(report, (*at, "name"), user.name, ram.USER_NAME, ram.USER_NAME_MAX)
        if len(user.access_keys) > ram.ACCESS_KEYS_PER_USER:
            limit = ram.ACCESS_KEYS_PER_USER
            report((*at, "access_keys"), f"a RAM user holds at most {limit} access keys")
        _attached(report, (*at, "policies"), user.policies, custom)
    report.unique(_named(spec.users, (*path, "users")), "user")
    _check_groups(spec, path, report)
    _check_roles(spec, path, report)


def _check_groups(spec: RamSpec, path: Path, report: Report) -> None:
    custom = {p.name for p in spec.policies}
    users = {u.name for u in spec.users}
    for i, group in enumerate(spec.groups):
        at: Path = (*path, "groups", i)
        _name(report, (*at, "name"), group.name, ram.GROUP_NAME, ram.GROUP_NAME_MAX)
        for n, member in enumerate(group.users):
            if member not in users:
                report((*at, "users", n), f'no user "{member}" is declared in this account')
        report.unique([((*at, "users", n), m) for n, m in enumerate(group.users)], "member")
        _attached(report, (*at, "policies"), group.policies, custom)
    report.unique(_named(spec.groups, (*path, "groups")), "group")


def _check_roles(spec: RamSpec, path: Path, report: Report) -> None:
    custom = {p.name for p in spec.policies}
    low, high = ram.ROLE_MAX_SESSION_MIN, ram.ROLE_MAX_SESSION_MAX
    for i, role in enumerate(spec.roles):
        at: Path = (*path, "roles", i)
        _name(report, (*at, "name"), role.name, ram.ROLE_NAME, ram.ROLE_NAME_MAX)
        _document(report, (*at, "trust_policy"), role.trust_policy, parse_trust_policy)
        if not low <= role.max_session_duration <= high:
            report((*at, "max_session_duration"), f"must be {low} to {high} seconds")
        _attached(report, (*at, "policies"), role.policies, custom)
    # Role names are unique ignoring case, as RAM has them.
    names = [((*path, "roles", i, "name"), r.name.lower()) for i, r in enumerate(spec.roles)]
    report.unique(names, "role (ignoring case)")


def _named(entries: Sequence[Any], path: Path) -> list[tuple[Path, str]]:
    return [((*path, i, "name"), entry.name) for i, entry in enumerate(entries)]


# The characters each kind of RAM name may use (domain.ram's patterns), in words.
_ALLOWED = {
    ram.USER_NAME.pattern: "letters, digits, '.', '-' or '_'",
    ram.ROLE_NAME.pattern: "letters, digits, '.' or '-'",
    ram.POLICY_NAME.pattern: "letters, digits or '-'",
}


def _name(report: Report, path: Path, value: str, pattern: re.Pattern[str], limit: int) -> None:
    if len(value) > limit or not pattern.match(value):
        allowed = _ALLOWED[pattern.pattern]
        report(path, f'"{value}" is not a valid name: 1-{limit} {allowed}')


def _document(report: Report, path: Path, document: Any, parse: Callable[..., object]) -> None:
    text = document_text(document)
    if text is None:
        report(path, "a policy document is a mapping (YAML) or its JSON text")
        return
    try:
        parse(text)
    except PolicyError as error:
        report(path, f"not a valid policy document: {error}")


def _attached(report: Report, path: Path, names: Sequence[str], custom: set[str]) -> None:
    for n, name in enumerate(names):
        if name not in custom and name not in SYSTEM_POLICIES:
            known = sorted(custom | set(SYSTEM_POLICIES))
            close = difflib.get_close_matches(name, known, n=1)
            hint = f' (did you mean "{close[0]}"?)' if close else ""
            report((*path, n), f'unknown policy "{name}": not a system policy, nor declared in '
                   f"this account's ram.policies{hint}")  # fmt: skip
    report.unique((((*path, n), name) for n, name in enumerate(names)), "policy")
