"""A pipeline that waits for a copy (docs/testing.md, "A pipeline that waits for a copy").

`copy_and_wait` is the code under test: it copies a golden image to another region and polls
DescribeImages until the copy is Available, as image pipelines do. On the real cloud a
cross-region copy takes minutes; here the server's clock is frozen and the pipeline's own
`sleep` advances it, so ten minutes of polling take milliseconds and every poll is
deterministic. Run with copies that take ten minutes, in pytest.ini:

    [pytest]
    imageshare_operation_seconds = ecs:CopyImage=600

(or `pytest --imageshare-operation-seconds ecs:CopyImage=600`).
"""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from alibabacloud_ecs20140526 import models
from alibabacloud_ecs20140526.client import Client

from imageshare.testing import World

SOURCE_REGION, DESTINATION = "cn-hangzhou", "cn-shanghai"


class CopyFailed(Exception):
    pass


def copy_and_wait(
    ecs: Client,
    image_id: str,
    *,
    sleep: Callable[[float], None] = time.sleep,
    poll_seconds: float = 30,
    timeout_seconds: float = 3600,
) -> str:
    """Copy ``image_id`` to DESTINATION and wait until the copy is Available; its id."""
    request = models.CopyImageRequest(
        region_id=SOURCE_REGION, image_id=image_id, destination_region_id=DESTINATION
    )
    copy_id: str = ecs.copy_image(request).body.image_id
    waited = 0.0
    while waited < timeout_seconds:
        status = _status(ecs, copy_id)
        if status == "Available":
            return copy_id
        if status == "CreateFailed":
            raise CopyFailed(copy_id)
        sleep(poll_seconds)
        waited += poll_seconds
    raise TimeoutError(f"{copy_id} was not Available after {timeout_seconds} s")


def _status(ecs: Client, image_id: str) -> str:
    request = models.DescribeImagesRequest(
        region_id=DESTINATION, image_id=image_id, status="Creating,Available,CreateFailed"
    )
    [image] = ecs.describe_images(request).body.images.image
    status: str = image.status
    return status


def test_the_pipeline_waits_until_the_copy_is_available(imageshare: World) -> None:
    owner = imageshare.account()
    golden = imageshare.ecs_image(owner)
    imageshare.clock.freeze()
    slept: list[float] = []

    def sleep(seconds: float) -> None:  # the pipeline's wait moves the server's clock
        slept.append(seconds)
        imageshare.clock.advance(seconds=seconds)

    copy_id = copy_and_wait(imageshare.ecs(owner), golden, sleep=sleep)
    assert sum(slept) == 600, "it polled every 30 s until the ten-minute copy arrived"
    assert _status(imageshare.ecs(owner), copy_id) == "Available"


def test_the_pipeline_gives_up_on_a_slow_copy(imageshare: World) -> None:
    owner = imageshare.account()
    golden = imageshare.ecs_image(owner)
    imageshare.clock.freeze()

    def sleep(seconds: float) -> None:
        imageshare.clock.advance(seconds=seconds)

    with pytest.raises(TimeoutError):
        copy_and_wait(imageshare.ecs(owner), golden, sleep=sleep, timeout_seconds=300)
