"""The server's clock as tests control it: show, freeze, advance, resume, back to real time.

The admin endpoints (``/_imageshare/clock``), ``imageshare clock …`` and the testing World's
``clock`` all come through here; each change is one transaction on the database, so every
server on it sees the new time at its next request. docs/testing.md, "A clock tests control".
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from imageshare.domain.times import REAL_CLOCK, ServerClock, utcnow
from imageshare.store import clock
from imageshare.store.database import Store
from imageshare.values import frozen

# Far enough for any retention window (ActionTrail's 90 days, a ClientToken's day); a
# larger step is more likely a unit mistake, and past datetime's year 9999 it would fail.
MAX_STEP = timedelta(days=3660)

# The clock after a change, from the clock before it and the real time of the change.
_Change = Callable[[ServerClock, datetime], ServerClock]


class ClockError(ValueError):
    """A clock change that makes no sense (a step that is negative, not a number, or huge)."""


@frozen
class ClockReading:
    """What the clock shows, against the real time."""

    now: datetime
    real: datetime
    frozen: bool

    @property
    def offset(self) -> timedelta:
        return self.now - self.real

    def as_json(self) -> dict[str, Any]:
        """What the admin API and ``imageshare clock --json`` answer: times as ISO 8601 UTC
        with microseconds, as state documents write them."""
        return {
            "now": self.now.isoformat() + "Z",
            "real": self.real.isoformat() + "Z",
            "frozen": self.frozen,
            "offset_seconds": self.offset.total_seconds(),
        }


def show(store: Store) -> ClockReading:
    with store.unit_of_work() as uow:
        return _reading(uow.clock.read(), utcnow())


def freeze(store: Store) -> ClockReading:
    """Stop the clock at the moment it shows now."""
    return _change(store, lambda current, real: current.frozen(real))


def step(*, seconds: float = 0, minutes: float = 0, hours: float = 0) -> timedelta:
    """The duration to advance by, from any of the three units (they add up).

    :raises ClockError: a value that is not a number, negative, not finite, or a total
        over MAX_STEP.
    """
    given = (seconds, minutes, hours)
    if any(isinstance(part, bool) or not isinstance(part, int | float) for part in given):
        raise ClockError("seconds, minutes and hours are numbers")
    parts = (seconds, minutes * 60, hours * 3600)
    total = sum(parts)
    if not math.isfinite(total) or any(part < 0 for part in parts):
        raise ClockError("the clock only moves forward: give durations of 0 or more")
    if total > MAX_STEP.total_seconds():
        raise ClockError(f"a step is at most {MAX_STEP.days} days")
    return timedelta(seconds=total)


def advance(store: Store, by: timedelta) -> ClockReading:
    """Move the clock ``by`` forward (frozen: it stays frozen, that much later); ``by`` comes
    from ``step``."""
    return _change(store, lambda current, _real: current.advanced(by))


def resume(store: Store) -> ClockReading:
    """Let a frozen clock run again, from the moment it stood at."""
    return _change(store, lambda current, real: current.resumed(real))


def reset(store: Store) -> ClockReading:
    """Back to the real time (a state reset does this too: the clock is part of the state)."""
    return _change(store, lambda _current, _real: REAL_CLOCK)


def _change(store: Store, how: _Change) -> ClockReading:
    with store.transaction(write=True) as conn:
        real = utcnow()
        changed = clock.change(conn, lambda current: how(current, real))
    return _reading(changed, real)


def _reading(current: ServerClock, real: datetime) -> ClockReading:
    return ClockReading(current.now(real), real, current.frozen_at is not None)
