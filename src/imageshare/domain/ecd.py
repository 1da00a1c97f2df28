"""Elastic Desktop Service: desktops, and the rules of ECD custom images. No I/O."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Desktop:
    id: str
    account_id: int
    region_id: str
    os_type: str  # "Windows" | "Linux"
    encryption_key_id: str | None  # set: the desktop's disks (and its images) are encrypted
    system_disk_size: int
    data_disk_size: int
    created_at: datetime

    @property
    def encrypted(self) -> bool:
        return self.encryption_key_id is not None
