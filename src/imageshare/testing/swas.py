"""SWAS resources for tests, made through the official SDK exactly as a user's code makes them."""

from __future__ import annotations

from typing import Any

from imageshare.domain.catalogue import LINUX_PLATFORM, SWAS_PUBLIC_IMAGES
from imageshare.domain.swas_plans import PLANS
from imageshare.testing.sdk import sdk, unique_name
from imageshare.values import frozen

# Any plan and Linux system image from the catalogue will do; the first ones are the examples'.
PLAN_ID = PLANS[0].id
LINUX_IMAGE_ID = next(
    i.id for i in SWAS_PUBLIC_IMAGES if i.platform == LINUX_PLATFORM and i.type == "system"
)


@frozen
class SwasImage:
    """A custom image and what it was made from."""

    id: str
    region: str
    name: str
    instance_id: str
    system_snapshot_id: str


def make_instance(client: Any, region: str, data_disk_size: int | None = None) -> str:
    """CreateInstances (one Linux server on the first plan) with ``client``; its id."""
    models = sdk("alibabacloud_swas_open20200601.models")
    request = models.CreateInstancesRequest(
        region_id=region,
        image_id=LINUX_IMAGE_ID,
        plan_id=PLAN_ID,
        period=1,
        data_disk_size=data_disk_size,
    )
    instance_id: str = client.create_instances(request).body.instance_ids[0]
    return instance_id


def disk_of(client: Any, region: str, instance_id: str, disk_type: str = "System") -> str:
    """ListDisks: the id of the instance's ``disk_type`` ("System" or "Data") disk."""
    models = sdk("alibabacloud_swas_open20200601.models")
    request = models.ListDisksRequest(
        region_id=region, instance_id=instance_id, disk_type=disk_type
    )
    disk_id: str = client.list_disks(request).body.disks[0].disk_id
    return disk_id


def make_snapshot(client: Any, region: str, disk_id: str) -> str:
    """CreateSnapshot of the disk, under a new name; its id."""
    models = sdk("alibabacloud_swas_open20200601.models")
    request = models.CreateSnapshotRequest(
        region_id=region, disk_id=disk_id, snapshot_name=unique_name("snapshot")
    )
    snapshot_id: str = client.create_snapshot(request).body.snapshot_id
    return snapshot_id


def make_custom_image(client: Any, region: str, name: str | None = None) -> SwasImage:
    """CreateInstances -> ListDisks -> CreateSnapshot -> CreateCustomImage with ``client``."""
    models = sdk("alibabacloud_swas_open20200601.models")
    instance_id = make_instance(client, region)
    snapshot_id = make_snapshot(client, region, disk_of(client, region, instance_id))
    image_name = name or unique_name("image")
    image_id: str = client.create_custom_image(
        models.CreateCustomImageRequest(
            region_id=region,
            instance_id=instance_id,
            system_snapshot_id=snapshot_id,
            image_name=image_name,
        )
    ).body.image_id
    return SwasImage(image_id, region, image_name, instance_id, snapshot_id)
