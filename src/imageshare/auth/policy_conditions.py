"""The Condition element: operators, value parsing, and evaluation against a request.

A Condition block maps operators to ``{condition key: value or [values]}``. The block holds
when every operator holds; an operator holds when every one of its keys holds; a key holds
when the request value matches any of the listed values. For the negated operators
(``StringNotEquals``, ``StringNotEqualsIgnoreCase``, ``StringNotLike``, ``NumericNotEquals``,
``DateNotEquals``, ``NotIpAddress``) the key holds when the request value matches none of them.

A key the request does not carry, or a request value that cannot be read as the operator's
type (``"abc"`` for a Numeric operator), matches no policy value: positive operators are then
false and negated ones true, so ``Deny`` + ``NotIpAddress`` still denies a request whose source
address is unknown. Policy values, by contrast, are checked when the policy is parsed.
"""

from __future__ import annotations

import ipaddress
import operator as op
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from imageshare.auth.policy_glob import compile_glob
from imageshare.auth.policy_types import PolicyError
from imageshare.values import frozen

IpNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
IpAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def _number(text: str) -> Decimal:
    try:
        number = Decimal(text.strip())
    except InvalidOperation:
        raise ValueError(text) from None
    if not number.is_finite():
        raise ValueError(text)
    return number


def _datetime(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    # A time without an offset is read as UTC, the zone acs:CurrentTime is given in.
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _boolean(text: str) -> bool:
    lowered = text.lower()
    if lowered not in ("true", "false"):
        raise ValueError(text)
    return lowered == "true"


def _network(text: str) -> IpNetwork:
    # strict=False: "192.0.2.7/24" means the /24 that holds the address, as most ACL tools read it.
    return ipaddress.ip_network(text, strict=False)


def _address(text: str) -> IpAddress:
    address = ipaddress.ip_address(text)
    # A dual-stack listener reports IPv4 clients as ::ffff:a.b.c.d; policies name them in IPv4.
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def _in_network(address: IpAddress, network: IpNetwork) -> bool:
    return address.version == network.version and address in network


def _glob_matches(request: str, pattern: Any) -> bool:
    return bool(pattern.matches(request))


def _same_ignoring_case(request: str, policy: str) -> bool:
    return request.casefold() == policy.casefold()


@frozen
class Operator:
    """How one condition operator reads its values and compares a request value with them."""

    name: str
    expects: str  # what a policy value must be, for error messages
    parse_policy_value: Callable[[str], Any]
    parse_request_value: Callable[[str], Any]
    test: Callable[[Any, Any], bool]  # (request value, policy value)
    negated: bool = False


def _family(
    prefix: str,
    expects: str,
    parse: Callable[[str], Any],
    negatable: str,
) -> dict[str, Operator]:
    comparisons: dict[str, Callable[[Any, Any], bool]] = {
        "Equals": op.eq,
        "LessThan": op.lt,
        "LessThanEquals": op.le,
        "GreaterThan": op.gt,
        "GreaterThanEquals": op.ge,
    }
    family = {
        prefix + suffix: Operator(prefix + suffix, expects, parse, parse, test)
        for suffix, test in comparisons.items()
    }
    family[negatable] = Operator(negatable, expects, parse, parse, op.eq, negated=True)
    return family


def _string(name: str, test: Callable[[Any, Any], bool], negated: bool) -> Operator:
    return Operator(name, "a string", str, str, test, negated)


def _like(name: str, negated: bool) -> Operator:
    return Operator(name, "a string", compile_glob, str, _glob_matches, negated)


OPERATORS: Mapping[str, Operator] = {
    "StringEquals": _string("StringEquals", op.eq, False),
    "StringNotEquals": _string("StringNotEquals", op.eq, True),
    "StringEqualsIgnoreCase": _string("StringEqualsIgnoreCase", _same_ignoring_case, False),
    "StringNotEqualsIgnoreCase": _string("StringNotEqualsIgnoreCase", _same_ignoring_case, True),
    "StringLike": _like("StringLike", False),
    "StringNotLike": _like("StringNotLike", True),
    **_family("Numeric", "a number", _number, "NumericNotEquals"),
    **_family("Date", "an ISO 8601 date-time", _datetime, "DateNotEquals"),
    "Bool": Operator("Bool", '"true" or "false"', _boolean, _boolean, op.eq),
    "IpAddress": Operator(
        "IpAddress", "an IP address or CIDR block", _network, _address, _in_network
    ),
    "NotIpAddress": Operator(
        "NotIpAddress", "an IP address or CIDR block", _network, _address, _in_network, True
    ),
}


@frozen
class Condition:
    """One (operator, condition key, values) triple of a Condition block."""

    operator: Operator
    key: str  # lower-cased: condition key names are case-insensitive
    values: tuple[Any, ...]

    def holds(self, request_values: Mapping[str, str]) -> bool:
        """Whether the request satisfies this condition (see the module docstring)."""
        raw = request_values.get(self.key)
        if raw is None:
            return self.operator.negated
        try:
            value = self.operator.parse_request_value(raw)
        except ValueError:
            return self.operator.negated
        matched = any(self.operator.test(value, wanted) for wanted in self.values)
        return matched != self.operator.negated


def _as_text(raw: object, where: str) -> str:
    # JSON true/false/numbers are accepted where a string is expected and read as their text.
    if isinstance(raw, bool):
        return "true" if raw else "false"
    if isinstance(raw, str | int | float):
        return str(raw)
    raise PolicyError(f"{where} must be a string, a number or a boolean")


def _parse_values(operator: Operator, raw: object, where: str) -> tuple[Any, ...]:
    items = raw if isinstance(raw, list) else [raw]
    if not items:
        raise PolicyError(f"{where} must hold at least one value")
    parsed = []
    for index, item in enumerate(items):
        item_where = f"{where}[{index}]" if isinstance(raw, list) else where
        text = _as_text(item, item_where)
        try:
            parsed.append(operator.parse_policy_value(text))
        except ValueError:
            raise PolicyError(f"{item_where} must be {operator.expects}") from None
    return tuple(parsed)


def _parse_operator(operator: Operator, body: object, where: str) -> list[Condition]:
    if not isinstance(body, dict) or not body:
        raise PolicyError(f"{where} must map at least one condition key to its values")
    conditions = []
    for key, raw in body.items():
        # Keys are "<prefix>:<name>" (acs:SourceIp, oss:Prefix); one without a prefix is
        # almost certainly a typo that would otherwise never match.
        prefix, _, name = key.partition(":")
        if not prefix or not name:
            raise PolicyError(f'{where} key "{key}" must look like "<prefix>:<name>"')
        values = _parse_values(operator, raw, f"{where}.{key}")
        conditions.append(Condition(operator, key.lower(), values))
    return conditions


def parse_conditions(block: object, where: str) -> tuple[Condition, ...]:
    """Parse a statement's Condition element.

    :raises PolicyError: the block is not an object, names an unknown operator, or holds a
        value the operator cannot read.
    """
    if not isinstance(block, dict):
        raise PolicyError(f"{where} must be an object")
    conditions: list[Condition] = []
    for name, body in block.items():
        operator = OPERATORS.get(name)
        if operator is None:
            raise PolicyError(f'{where} has an unknown operator "{name}"')
        conditions.extend(_parse_operator(operator, body, f"{where}.{name}"))
    return tuple(conditions)
