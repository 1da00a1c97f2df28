"""ECS instances, their disks and their snapshots: enough to launch an image, keep a disk's
source image, snapshot a disk and make an image of it. No I/O (the store maps rows to them).

Named ``Ecs*`` because SWAS has instances, disks and snapshots of its own (domain/swas.py)."""

from __future__ import annotations

from datetime import datetime

from imageshare.domain.ecs_states import Passage
from imageshare.values import frozen


@frozen
class EcsInstance:
    id: str
    account_id: int
    region_id: str
    zone_id: str
    name: str
    instance_type: str
    image_id: str
    os_type: str  # "linux" | "windows"
    status: str  # where it settles: "Running" | "Stopped"
    created_at: datetime
    pending_status: str | None = None  # "Starting" | "Stopping" until settles_at
    settles_at: datetime | None = None

    @property
    def passage(self) -> Passage:
        """Its status over time (domain/ecs_states.py)."""
        return Passage(self.status, self.pending_status, self.settles_at)


@frozen
class EcsDisk:
    id: str
    account_id: int
    region_id: str
    instance_id: str | None
    disk_type: str  # "system" | "data"
    category: str
    size: int
    device: str
    image_id: str | None
    source_snapshot_id: str | None
    created_at: datetime


@frozen
class EcsSnapshot:
    id: str
    account_id: int
    region_id: str
    disk_id: str
    instance_id: str | None
    name: str
    description: str
    source_disk_type: str
    size: int
    image_id: str | None
    created_at: datetime
