"""The one clock and the wire's time formats. Times are naive UTC everywhere inside (as the
store keeps them); only the wire spells them out."""

from __future__ import annotations

from datetime import UTC, datetime


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
