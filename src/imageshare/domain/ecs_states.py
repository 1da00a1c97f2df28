"""How an ECS instance's status moves (docs/ecs.md, "Instance states").

RunInstances and StartInstance pass through ``Starting`` to ``Running`` ("After an instance
is created, the instance enters the Starting state and then transitions to the Running
state"), StopInstance through ``Stopping`` to ``Stopped``. How long the passage takes is a
setting (``IMAGESHARE_ECS_INSTANCE_SETTLE_SECONDS``; 0 settles at once, what the testing
server does). An instance keeps where it settles and until when it shows the passage, so
its status is a function of the clock, as an image's Creating is: nothing has to run when
the time is up. ``Pending`` (being created) is a documented status no instance here shows:
creation is the Starting passage.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from imageshare.values import frozen

PENDING, STARTING, RUNNING = "Pending", "Starting", "Running"
STOPPING, STOPPED = "Stopping", "Stopped"
STATUSES = (PENDING, RUNNING, STARTING, STOPPING, STOPPED)


@frozen
class Passage:
    """Where an instance settles, what it shows meanwhile and until when."""

    status: str
    pending_status: str | None = None
    settles_at: datetime | None = None


def passage_to(status: str, now: datetime, seconds: float) -> Passage:
    """Start (``Running``) or stop (``Stopped``) an instance at ``now``."""
    if seconds <= 0:
        return Passage(status)
    shown = STARTING if status == RUNNING else STOPPING
    return Passage(status, shown, now + timedelta(seconds=seconds))


def shown_status(passage: Passage, now: datetime) -> str:
    """The status DescribeInstances answers at ``now``."""
    moving = passage.settles_at is not None and now < passage.settles_at
    return passage.pending_status if moving and passage.pending_status else passage.status
