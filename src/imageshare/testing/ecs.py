"""ECS resources for tests, made through the official ECS SDK as a user makes them: an
instance from a public image, and a custom image of it (RunInstances -> CreateImage, then
DescribeImages until it is Available)."""

from __future__ import annotations

import time
from typing import Any

from imageshare.domain.catalogue import SYSTEM_IMAGES
from imageshare.testing.sdk import sdk, unique_name

# The public image an instance runs unless told otherwise: Alibaba Cloud Linux 3 (x86_64).
DEFAULT_ECS_IMAGE = SYSTEM_IMAGES[0].id
DEFAULT_INSTANCE_TYPE = "ecs.g7.large"
READY_TIMEOUT_SECONDS = 30.0


def make_instance(client: Any, region: str, image_id: str = DEFAULT_ECS_IMAGE) -> str:
    """RunInstances with ``client``; the new instance's id."""
    models = sdk("alibabacloud_ecs20140526.models")
    request = models.RunInstancesRequest(
        region_id=region, image_id=image_id, instance_type=DEFAULT_INSTANCE_TYPE
    )
    instance_id: str = client.run_instances(request).body.instance_id_sets.instance_id_set[0]
    return instance_id


def make_image(client: Any, region: str, name: str | None = None) -> str:
    """A new instance, CreateImage of it, and a wait until the image is Available; its id."""
    models = sdk("alibabacloud_ecs20140526.models")
    instance_id = make_instance(client, region)
    request = models.CreateImageRequest(
        region_id=region, instance_id=instance_id, image_name=name or unique_name("img")
    )
    image_id: str = client.create_image(request).body.image_id
    _wait_until_available(client, models, region, image_id)
    return image_id


def _wait_until_available(client: Any, models: Any, region: str, image_id: str) -> None:
    deadline = time.monotonic() + READY_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        request = models.DescribeImagesRequest(region_id=region, image_id=image_id, status="ALL")
        found = client.describe_images(request).body.images.image
        if found and found[0].status == "Available":
            return
        time.sleep(0.2)
    raise TimeoutError(f"{image_id} did not become Available in {READY_TIMEOUT_SECONDS} s")
