"""The one clock and the wire's time formats. Times are naive UTC everywhere inside (as the
store keeps them); only the wire spells them out.

``utcnow`` is the real time; ``ServerClock`` turns it into the server's time, which tests may
freeze and advance. What follows the server's time (every time a resource, a token, a
ClientToken record or an audit event carries) takes it from ``ServerClock.now``; what follows
the real time is the signature's timestamp window and nonce (the client signs with its own
clock), snapshots' and exports' own dates, TLS certificates and timeouts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from imageshare.values import frozen


def utcnow() -> datetime:
    """Now, as naive UTC."""
    return datetime.now(UTC).replace(tzinfo=None)


def wire_time(moment: datetime) -> str:
    """``2021-03-08T05:31:06Z``: UTC to the second, as every CreationTime (SWAS, ECD, ECS) and
    RAM and STS date is written.

    ``moment`` is naive UTC; isoformat is several times faster than strftime, and listings
    format one time per row."""
    return moment.isoformat("T", "seconds") + "Z"


def shared_time(moment: datetime) -> str:
    """``2024-07-15 13:59:21.0``: the documented SharedTime form (a Java Timestamp's text);
    ``moment`` is naive UTC."""
    return moment.isoformat(" ", "seconds") + ".0"


@frozen
class ServerClock:
    """The server's time, as tests set it (docs/testing.md, "A clock tests control"): the real
    time moved by ``offset``, or, while ``frozen_at`` is set, standing still at that moment.
    Every server on one database shares it (store/clock.py keeps it); the default is the real
    time. Pure: each change returns the clock after it, given the real time it happens at."""

    offset: timedelta = timedelta(0)
    frozen_at: datetime | None = None

    @property
    def is_real(self) -> bool:
        return self.frozen_at is None and not self.offset

    def now(self, real: datetime) -> datetime:
        """The server's time when the real time is ``real`` (naive UTC)."""
        if self.frozen_at is not None:
            return self.frozen_at
        return real + self.offset if self.offset else real

    def frozen(self, real: datetime) -> ServerClock:
        """Standing still at the moment it shows now (already frozen: unchanged)."""
        return ServerClock(self.offset, self.now(real))

    def advanced(self, by: timedelta) -> ServerClock:
        """``by`` later (frozen: still frozen, at the later moment).

        :raises ValueError: ``by`` is negative; the clock never runs backwards, so nothing
            made at one moment is seen made before an earlier one.
        """
        if by < timedelta(0):
            raise ValueError("the clock only moves forward: give a duration of 0 or more")
        if self.frozen_at is not None:
            return ServerClock(self.offset, self.frozen_at + by)
        return ServerClock(self.offset + by, None)

    def resumed(self, real: datetime) -> ServerClock:
        """Running again from the moment it stood at (not frozen: unchanged)."""
        if self.frozen_at is None:
            return self
        return ServerClock(self.frozen_at - real, None)


REAL_CLOCK = ServerClock()
