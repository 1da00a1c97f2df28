"""Operations that take time: ECS CreateImage and CopyImage, SWAS CreateCustomImage, ECD
CreateImage and CopyImage (docs/testing.md, "Operations that take time").

No thread moves an image along. The image such an operation makes is stored at once with the
status it ends in (Available, or CreateFailed when a fault rule says so) and ``ready_at``, the
moment it ends on the server's clock (domain/times.ServerClock); until then every caller sees
it in progress (``Creating``, ``Progress`` counting up: domain/images.copying and
copy_progress). Freezing or advancing the clock therefore moves every operation
deterministically, and every server on the database sees the same state.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum

from imageshare.values import frozen


class Operation(StrEnum):
    """Each has its own duration setting (config.Settings.seconds_of)."""

    ECS_CREATE_IMAGE = "ecs:CreateImage"
    ECS_COPY_IMAGE = "ecs:CopyImage"
    SWAS_CREATE_CUSTOM_IMAGE = "swas-open:CreateCustomImage"
    ECD_CREATE_IMAGE = "ecd:CreateImage"
    ECD_COPY_IMAGE = "ecd:CopyImage"


@frozen
class Run:
    """How one run of an operation goes: when it ends (None: at once) and whether it ends
    failed (the image's status is then CreateFailed, SWAS's "3", instead of Available)."""

    ready_at: datetime | None
    fails: bool = False


def run(now: datetime, seconds: float, *, fails: bool = False) -> Run:
    """A run starting ``now`` that takes ``seconds`` (0: done at once)."""
    return Run(now + timedelta(seconds=seconds) if seconds > 0 else None, fails)


# What resources made without an API call get (world files, the CLI): ready when made.
AT_ONCE = Run(None)
