"""Throttling as documented (docs/testing.md, "Throttling"): the per-account call rates the
product pages document, custom rates, and the token bucket that enforces one. Pure.

Alibaba Cloud counts a limit "for a single user": an account together with its RAM users and
role sessions, per API operation. Off by default; ``serve --throttle documented`` turns on the
documented ones, ``--throttle ecs:DescribeImages=5`` sets one (``=5`` five a second,
``=10/min`` ten a minute), and both combine, comma-separated, a custom rate winning.
"""

from __future__ import annotations

from dataclasses import dataclass

from imageshare.values import frozen

DOCUMENTED = "documented"


@frozen
class Rate:
    """``calls`` every ``seconds``; a burst may use the whole allowance at once."""

    calls: int
    seconds: float

    @property
    def per_second(self) -> float:
        return self.calls / self.seconds

    def shared_by(self, processes: int) -> Rate:
        """Each of ``processes``' share, so that together they allow about this rate: the
        calls split between them (at least one each), over a window stretched to match."""
        each = max(1, round(self.calls / processes))
        return Rate(each, self.seconds * each * processes / self.calls)


_PER_MINUTE = 60.0
# What the product pages document, per account and operation:
# - ActionTrail: "you can call the LookupEvents operation up to twice per second" (API overview;
#   "Quotas and limits": 2 queries a second of the event history).
# - SWAS: the QPS limits page gives 10 calls a minute for a single user for every operation it
#   lists (CreateInstances, ListInstances ...); the pages of CreateCustomImage,
#   DeleteCustomImage and ListImages repeat "10 times per minute per account". The sharing
#   operations are not on it, and ECS and ECD document no per-operation rates (they are Quota
#   Center quotas): those are left alone unless given a custom rate.
DOCUMENTED_RATES: dict[str, Rate] = {
    "actiontrail:LookupEvents": Rate(2, 1.0),
    "swas-open:CreateInstances": Rate(10, _PER_MINUTE),
    "swas-open:ListInstances": Rate(10, _PER_MINUTE),
    "swas-open:CreateCustomImage": Rate(10, _PER_MINUTE),
    "swas-open:DeleteCustomImage": Rate(10, _PER_MINUTE),
    "swas-open:ListImages": Rate(10, _PER_MINUTE),
}
_UNITS = {"": 1.0, "s": 1.0, "sec": 1.0, "min": _PER_MINUTE, "m": _PER_MINUTE}


class InvalidThrottle(ValueError):
    """A throttle setting that cannot be read; the message says which part and why."""


def parse_throttle(text: str) -> dict[str, Rate]:
    """``documented``, ``product:Action=N[/s|/min]``, comma-separated: every rate, by action.

    :raises InvalidThrottle: a part that is neither.
    """
    rates: dict[str, Rate] = {}
    custom: dict[str, Rate] = {}
    for part in (p.strip() for p in text.split(",")):
        if part == DOCUMENTED:
            rates.update(DOCUMENTED_RATES)
        elif part:
            action, rate = _custom(part)
            custom[action] = rate
    return {**rates, **custom}


def _custom(part: str) -> tuple[str, Rate]:
    action, sep, amount = part.partition("=")
    product, colon, name = action.strip().partition(":")
    calls, _, unit = amount.strip().partition("/")
    if not (sep and colon and product and name and calls.isdigit() and unit in _UNITS):
        raise InvalidThrottle(
            f"{part!r}: write documented, or product:Action=N (N calls a second), "
            "or product:Action=N/min, e.g. ecs:DescribeImages=5"
        )
    if int(calls) < 1:
        raise InvalidThrottle(f"{part!r}: allow at least 1 call")
    return f"{product}:{name}", Rate(int(calls), _UNITS[unit])


@dataclass
class Bucket:
    """A token bucket holding up to ``rate.calls`` tokens, refilled at the rate: the first
    ``calls`` calls of a burst pass, then one more each time a token comes back."""

    tokens: float
    updated: float

    @classmethod
    def full(cls, rate: Rate, now: float) -> Bucket:
        return cls(float(rate.calls), now)

    def is_full(self, rate: Rate, now: float) -> bool:
        """Whether it has refilled by ``now``: a full bucket is the same as none."""
        return self.tokens + max(0.0, now - self.updated) * rate.per_second >= rate.calls

    def take(self, rate: Rate, now: float) -> bool:
        """Whether a call at ``now`` (seconds, monotonic) may pass; it uses a token if so."""
        elapsed = max(0.0, now - self.updated)
        self.tokens = min(float(rate.calls), self.tokens + elapsed * rate.per_second)
        self.updated = now
        if self.tokens < 1.0:
            return False
        self.tokens -= 1.0
        return True
