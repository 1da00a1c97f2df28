"""Simple Application Server: instances, disks, snapshots, and the rules of SWAS custom
images. No I/O."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Instance:
    id: str
    account_id: int
    region_id: str
    name: str
    plan_id: str
    image_id: str
    status: str
    created_at: datetime
    expires_at: datetime


@dataclass(frozen=True)
class Disk:
    id: str
    account_id: int
    region_id: str
    instance_id: str
    disk_type: str
    category: str
    size: int
    device: str
    created_at: datetime


@dataclass(frozen=True)
class Snapshot:
    id: str
    account_id: int
    region_id: str
    name: str
    disk_id: str
    instance_id: str
    source_disk_type: str
    status: str
    created_at: datetime
