"""The Principal element of a trust policy: who may assume the role.

``{"RAM": [...], "Service": [...], "Federated": [...]}``, each a string or a list of strings:

* ``RAM``: ARNs of Alibaba Cloud identities. ``acs:ram::<account-id>:root`` trusts every RAM
  identity of that account (its root, its RAM users, its roles' sessions); ``...:user/<name>``
  one RAM user (compared exactly); ``...:role/<name>`` that role's sessions (the role name
  compared ignoring case).
* ``Service``: a cloud service such as ``ecs.aliyuncs.com``.
* ``Federated``: an identity provider, ``acs:ram::<account-id>:saml-provider/<name>``.
"""

from __future__ import annotations

import re

from imageshare.auth.policy_types import PolicyError, string_values
from imageshare.values import frozen

_SHAPES: dict[str, tuple[re.Pattern[str], str]] = {
    "RAM": (
        re.compile(r"acs:ram::\d+:(root|(user|role)/[^/\s]+)"),
        'an ARN like "acs:ram::<account-id>:root", "...:user/<name>" or "...:role/<name>"',
    ),
    "Service": (re.compile(r"[^\s:/]+"), 'a service name like "ecs.aliyuncs.com"'),
    "Federated": (
        re.compile(r"acs:ram::\d+:(saml|oidc)-provider/\S+"),
        'an ARN like "acs:ram::<account-id>:saml-provider/<name>"',
    ),
}


@frozen
class Principals:
    """The identities a trust-policy statement names, by kind."""

    ram: frozenset[str] = frozenset()
    services: frozenset[str] = frozenset()
    federated: frozenset[str] = frozenset()

    def includes(self, caller: str) -> bool:
        """Whether ``caller`` (an identity ARN or a service name) is one of these principals."""
        if caller in self.federated or caller.lower() in self.services:
            return True
        return any(_ram_principal_includes(principal, caller) for principal in self.ram)


def _ram_principal_includes(principal: str, caller: str) -> bool:
    if caller == principal:
        return True
    if principal.endswith(":root"):
        # "acs:ram::<id>:root" stands for the whole account: every identity ARN within it.
        return caller.startswith(principal[: -len("root")])
    if ":role/" not in principal:
        return False
    # Role names are unique ignoring case and appear lower-cased in session ARNs
    # (".../role/<name>/<session>"), so a role principal names the role's sessions too.
    role, session = principal.lower(), caller.lower()
    return session == role or session.startswith(role + "/")


def _identities(raw: object, where: str, kind: str) -> frozenset[str]:
    pattern, shape = _SHAPES[kind]
    values = string_values(raw, f"{where}.{kind}")
    for value, at in values:
        if not pattern.fullmatch(value):
            raise PolicyError(f"{at} must be {shape}")
    # Service names are host names, compared case-insensitively; ARNs exactly.
    return frozenset(value.lower() if kind == "Service" else value for value, _ in values)


def parse_principals(raw: object, where: str) -> Principals:
    """Parse a trust-policy statement's Principal element.

    :raises PolicyError: missing, not an object, an unknown kind, or a malformed identity.
    """
    if not isinstance(raw, dict) or not raw:
        raise PolicyError(f'{where} must be an object naming "RAM", "Service" or "Federated"')
    for kind in raw:
        if kind not in _SHAPES:
            raise PolicyError(f'{where} has an unknown principal type "{kind}"')
    found = {kind: _identities(value, where, kind) for kind, value in raw.items()}
    empty: frozenset[str] = frozenset()
    return Principals(
        ram=found.get("RAM", empty),
        services=found.get("Service", empty),
        federated=found.get("Federated", empty),
    )
