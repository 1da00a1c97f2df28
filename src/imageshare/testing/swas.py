"""SWAS resources for tests, made through the official SDK exactly as a user's code makes them."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from imageshare.domain.swas_catalogue import LINUX, PLANS, PUBLIC_IMAGES
from imageshare.testing.sdk import sdk

# Any plan and Linux system image from the catalogue will do; the first ones are the examples'.
PLAN_ID = PLANS[0].id
LINUX_IMAGE_ID = next(i.id for i in PUBLIC_IMAGES if i.platform == LINUX and i.type == "system")


@dataclass(frozen=True)
class SwasImage:
    """A custom image and what it was made from."""

    id: str
    region: str
    name: str
    instance_id: str
    system_snapshot_id: str


def make_custom_image(client: Any, region: str, name: str | None = None) -> SwasImage:
    """CreateInstances -> ListDisks -> CreateSnapshot -> CreateCustomImage with ``client``."""
    models = sdk("alibabacloud_swas_open20200601.models")
    instance_id: str = client.create_instances(
        models.CreateInstancesRequest(
            region_id=region, image_id=LINUX_IMAGE_ID, plan_id=PLAN_ID, period=1
        )
    ).body.instance_ids[0]
    disk_id: str = (
        client.list_disks(
            models.ListDisksRequest(region_id=region, instance_id=instance_id, disk_type="System")
        )
        .body.disks[0]
        .disk_id
    )
    snapshot_id: str = client.create_snapshot(
        models.CreateSnapshotRequest(
            region_id=region, disk_id=disk_id, snapshot_name=_unique("snapshot")
        )
    ).body.snapshot_id
    image_name = name or _unique("image")
    image_id: str = client.create_custom_image(
        models.CreateCustomImageRequest(
            region_id=region,
            instance_id=instance_id,
            system_snapshot_id=snapshot_id,
            image_name=image_name,
        )
    ).body.image_id
    return SwasImage(image_id, region, image_name, instance_id, snapshot_id)


def _unique(prefix: str) -> str:
    return f"{prefix}-{secrets.token_hex(4)}"
