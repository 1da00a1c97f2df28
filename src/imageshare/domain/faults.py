"""Fault rules (docs/testing.md, "Faults"): what a rule is, which calls it matches, and whether
the n-th call it matches fires. Pure: the store keeps the rules and counts the calls, the
pipeline and the services act on what fires.

A rule names one action of one product (``ecs:DescribeImages``, or ``ecs:*``), optionally one
caller account and one region, and an effect:

* ``error``: the call answers an error (by default the documented transient
  ``ServiceUnavailable``); it changes nothing.
* ``delay``: the call runs as usual and its answer leaves ``delay_ms`` later.
* ``timeout``: the call changes nothing and gets no answer: the connection is held for
  ``delay_ms`` (or until the client gives up) and then closed.
* ``fail-operation``: the call answers as usual, but the operation it starts (CopyImage,
  CreateImage ...) ends in its failed state (``CreateFailed``). Consumed by the services that
  run such operations (``services/faults.operation_fails``), never by the pipeline.

``count`` limits how many times a rule fires (None: no limit); ``probability`` makes it fire
on a fraction of the calls it matches, decided from ``seed`` and the call's number among the
calls the rule matched, so the same sequence of calls fires the same way in every run.
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import datetime
from enum import StrEnum

from imageshare.values import frozen


class Effect(StrEnum):
    ERROR = "error"
    DELAY = "delay"
    TIMEOUT = "timeout"
    FAIL_OPERATION = "fail-operation"


# Effects the pipeline applies to the call itself (fail-operation is the services' business).
CALL_EFFECTS = frozenset({Effect.ERROR, Effect.DELAY, Effect.TIMEOUT})
ANY_ACTION = "*"
DEFAULT_TIMEOUT_MS = 30_000
PER_MILLION = 1_000_000
MAX_DELAY_MS = 600_000


@frozen
class KnownError:
    status: int
    message: str


# The documented transient errors (gateway/common error codes; docs/testing.md): a rule that
# names one of these needs no status or message.
TRANSIENT_ERRORS: dict[str, KnownError] = {
    "ServiceUnavailable": KnownError(
        503, "The request has failed due to a temporary failure of the server."
    ),
    "InternalError": KnownError(
        500, "The request processing has failed due to some unknown error, exception or failure."
    ),
    "Throttling": KnownError(400, "Request was denied due to request throttling."),
    "Throttling.User": KnownError(400, "Request was denied due to user flow control."),
    "Throttling.Api": KnownError(400, "Request was denied due to api flow control."),
}
DEFAULT_ERROR = "ServiceUnavailable"


class InvalidRule(ValueError):
    """A rule that cannot be kept; the message says which field and why."""


@frozen
class FaultSpec:
    """A rule as asked for (admin API, CLI, world file, testing World), before it is stored."""

    product: str
    action: str
    effect: Effect = Effect.ERROR
    account_id: int | None = None
    region: str | None = None
    code: str | None = None
    http_status: int | None = None
    message: str | None = None
    delay_ms: int | None = None
    count: int | None = None
    probability: float = 1.0
    seed: int = 0


@frozen
class FaultRule:
    """A stored rule: its spec, completed (the error's status and message, the timeout's
    hold), and how often it has matched (``seen``) and fired (``fired``)."""

    id: int
    product: str
    action: str
    effect: str
    account_id: int | None
    region: str | None
    code: str | None
    http_status: int | None
    message: str | None
    delay_ms: int
    remaining: int | None
    per_million: int  # the fraction of matched calls it fires on, in millionths
    seed: int
    seen: int
    fired: int
    created_at: datetime

    def matches(self, account_id: int, region: str | None) -> bool:
        """Whether a call by ``account_id`` in ``region`` is one of this rule's (its product
        and action were matched by the query that found it)."""
        if self.account_id is not None and self.account_id != account_id:
            return False
        return self.region is None or self.region == region

    @property
    def probability(self) -> float:
        return self.per_million / PER_MILLION


def fires(probability: float, seed: int, call_number: int) -> bool:
    """Whether the ``call_number``-th call (from 1) a rule matched gets its fault: the same
    for the same seed and number, in every process and every run."""
    if probability >= 1.0:
        return True
    return random.Random(f"{seed}:{call_number}").random() < probability


def per_million(probability: float) -> int:
    """A probability as kept: in millionths, at least one."""
    return max(1, round(probability * PER_MILLION))


def complete(spec: FaultSpec) -> FaultSpec:
    """The spec with every default filled in, checked.

    :raises InvalidRule: a field out of its range, or an error code of no known status
        given without its status and message.
    """
    _check_scope(spec)
    _check_numbers(spec)
    if spec.effect is Effect.ERROR:
        return _complete_error(spec)
    if spec.effect is Effect.TIMEOUT:
        delay = DEFAULT_TIMEOUT_MS if spec.delay_ms is None else spec.delay_ms
        return replace(spec, delay_ms=delay, code=None, http_status=None, message=None)
    if spec.effect is Effect.DELAY and spec.delay_ms is None:
        raise InvalidRule("a delay rule needs delay_ms, the milliseconds to add")
    return replace(spec, code=None, http_status=None, message=None)


def _complete_error(spec: FaultSpec) -> FaultSpec:
    code = spec.code or DEFAULT_ERROR
    known = TRANSIENT_ERRORS.get(code)
    status = spec.http_status or (known.status if known else None)
    message = spec.message or (known.message if known else None)
    if status is None or message is None:
        known_codes = ", ".join(TRANSIENT_ERRORS)
        raise InvalidRule(
            f"error code {code!r} needs a status and a message (known codes, which need "
            f"neither: {known_codes})"
        )
    if not 400 <= status <= 599:
        raise InvalidRule(f"the status must be an error status, 400 to 599, not {status}")
    return replace(spec, code=code, http_status=status, message=message, delay_ms=0)


def _check_scope(spec: FaultSpec) -> None:
    if not spec.product or not spec.action:
        raise InvalidRule("name the action as product:Action, e.g. ecs:DescribeImages or ecs:*")
    if spec.account_id is not None and not 10**15 <= spec.account_id < 2 * 10**15:
        raise InvalidRule(f"account {spec.account_id} is not a 16-digit account id")


def _check_numbers(spec: FaultSpec) -> None:
    if spec.count is not None and spec.count < 1:
        raise InvalidRule(f"count must be at least 1, not {spec.count}")
    if not 0.0 < spec.probability <= 1.0:
        raise InvalidRule(f"probability must be above 0 and at most 1, not {spec.probability}")
    if spec.delay_ms is not None and not 0 <= spec.delay_ms <= MAX_DELAY_MS:
        raise InvalidRule(f"delay_ms must be 0 to {MAX_DELAY_MS}, not {spec.delay_ms}")


def parse_action(text: str) -> tuple[str, str]:
    """``ecs:DescribeImages`` -> ("ecs", "DescribeImages"); ``ecs:*`` every ECS action.

    :raises InvalidRule: no ``product:`` prefix.
    """
    product, sep, action = text.partition(":")
    if not sep or not product or not action:
        raise InvalidRule(
            f"name the action as product:Action (ecs:DescribeImages, swas-open:*), not {text!r}"
        )
    return product, action


def spec_of(
    action: str,
    *,
    error: str | None = None,
    status: int | None = None,
    message: str | None = None,
    delay_ms: int | None = None,
    timeout_ms: int | None = None,
    fail_operation: bool = False,
    account_id: int | None = None,
    region: str | None = None,
    count: int | None = None,
    probability: float = 1.0,
    seed: int = 0,
) -> FaultSpec:
    """A rule from the words every surface uses (``ecs:DescribeImages``, ``error=...`` or
    ``delay_ms=...`` or ``timeout_ms=...`` or ``fail_operation``; none of them: the default
    error), completed and checked.

    :raises InvalidRule: more than one effect, or a field ``complete`` refuses.
    """
    product, name = parse_action(action)
    chosen = [
        effect
        for effect, given in (
            (Effect.DELAY, delay_ms is not None),
            (Effect.TIMEOUT, timeout_ms is not None),
            (Effect.FAIL_OPERATION, fail_operation),
        )
        if given
    ]
    if len(chosen) > 1 or (chosen and (error or status or message)):
        raise InvalidRule("give one effect: an error, delay_ms, timeout_ms or fail_operation")
    effect = chosen[0] if chosen else Effect.ERROR
    spec = FaultSpec(
        product, name, effect, account_id, region, error, status, message,
        delay_ms if timeout_ms is None else timeout_ms, count, probability, seed,
    )  # fmt: skip
    return complete(spec)
