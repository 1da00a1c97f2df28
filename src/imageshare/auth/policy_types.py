"""The vocabulary shared by the policy modules: the parse error, the decision, the request.

Kept apart from :mod:`imageshare.auth.policy` so that the condition and document parsers can
raise :class:`PolicyError` without importing the evaluator (which imports them).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import field
from enum import Enum
from types import MappingProxyType

from imageshare.values import frozen


class PolicyError(ValueError):
    """A policy document that RAM would refuse; ``str()`` says what is wrong and where.

    The location uses the document's own element names, e.g.
    ``Statement[1].Effect must be "Allow" or "Deny"``, so the message can be shown to the
    user who wrote the policy as it is.
    """


class Decision(Enum):
    """The outcome of evaluating policies for one request."""

    ALLOW = "Allow"
    #: A Deny statement applied; nothing can override it.
    EXPLICIT_DENY = "ExplicitDeny"
    #: No statement allowed the request (RAM denies by default).
    IMPLICIT_DENY = "ImplicitDeny"


@frozen
class RequestContext:
    """What is being asked: the RAM action, the resource ARN and the condition-key values.

    Attributes:
        action: ``"<ram-code>:<action-name>"``, e.g. ``"swas-open:AddCustomImageShareAccount"``.
        resource: the resource ARN, e.g.
            ``"acs:swas-open:cn-hangzhou:1234567890123456:customimage/m-xxx"``, or ``"*"`` for
            an action that is authorised on all resources.
        values: condition keys and their request values, e.g. ``"acs:currenttime"`` (ISO 8601,
            ``2026-11-23T10:00:00Z``), ``"acs:sourceip"``, ``"acs:securetransport"``
            (``"true"``/``"false"``). Key names are case-insensitive; they are stored
            lower-cased.
    """

    action: str
    resource: str
    values: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # Condition key names are case-insensitive, so both sides are compared lower-cased;
        # normalising here means a caller cannot get that wrong.
        lowered = {name.lower(): value for name, value in self.values.items()}
        object.__setattr__(self, "values", MappingProxyType(lowered))


def string_values(raw: object, where: str) -> list[tuple[str, str]]:
    """A string or a non-empty list of strings, each paired with its location.

    :raises PolicyError: anything else.
    """
    if isinstance(raw, str):
        return [(raw, where)]
    if isinstance(raw, list) and raw and all(isinstance(item, str) for item in raw):
        return [(item, f"{where}[{index}]") for index, item in enumerate(raw)]
    raise PolicyError(f"{where} must be a string or a non-empty list of strings")
