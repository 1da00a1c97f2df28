"""``world.clock``: the server's clock, as a test controls it (docs/testing.md).

    imageshare.clock.freeze()
    copy_id = ecs.copy_image(...).body.image_id      # Creating, Progress "0%"
    imageshare.clock.advance(minutes=10)
    # DescribeImages now shows it Available

The clock is the database's, so every server on it (and the ``imageshare clock`` command)
sees the same time; each test's reset brings back the real time.
"""

from __future__ import annotations

from datetime import datetime

from imageshare.services import clock
from imageshare.store.database import Store


class TestClock:
    """Freeze, advance and resume the time every server on ``store``'s database keeps."""

    __test__ = False  # not a test class, whatever pytest thinks of its name

    def __init__(self, store: Store) -> None:
        self._store = store

    def now(self) -> datetime:
        """The server's time (naive UTC)."""
        return clock.show(self._store).now

    @property
    def frozen(self) -> bool:
        return clock.show(self._store).frozen

    def freeze(self) -> datetime:
        """Stop the clock at the moment it shows now; that moment."""
        return clock.freeze(self._store).now

    def advance(self, *, seconds: float = 0, minutes: float = 0, hours: float = 0) -> datetime:
        """Move the clock forward (the units add up; a frozen clock stays frozen); the
        time it shows after.

        :raises imageshare.services.clock.ClockError: a negative or absurd step.
        """
        by = clock.step(seconds=seconds, minutes=minutes, hours=hours)
        return clock.advance(self._store, by).now

    def resume(self) -> datetime:
        """Let a frozen clock run again, from the moment it stood at."""
        return clock.resume(self._store).now

    def reset(self) -> datetime:
        """Back to the real time (every test starts there)."""
        return clock.reset(self._store).now
