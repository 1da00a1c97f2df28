"""ECD resources for tests: a desktop made the way `imageshare ecd desktops create` makes one
(ECD has no public API for it), and a custom image made from it through the official SDK."""

from __future__ import annotations

from typing import Any

from imageshare.services.ecd_desktops import create_desktop
from imageshare.store.database import Store
from imageshare.testing.sdk import sdk, unique_name


def make_desktop(
    store: Store, account_id: int, region: str, *, os_type: str, encrypted: bool
) -> str:
    """:raises ServiceError: unknown region or OS type (the CLI's own checks)."""
    with store.unit_of_work(write=True) as uow:
        desktop = create_desktop(
            uow,
            account_id=account_id,
            region_id=region,
            os_type=os_type,
            encrypted=encrypted,
            now=uow.clock.now(),
        )
        uow.commit()
    return desktop.id


def make_image(client: Any, region: str, desktop_id: str, name: str | None = None) -> str:
    """CreateImage from the desktop with ``client``; the new image's id."""
    models = sdk("alibabacloud_ecd20200930.models")
    request = models.CreateImageRequest(
        region_id=region, desktop_id=desktop_id, image_name=name or unique_name("img")
    )
    image_id: str = client.create_image(request).body.image_id
    return image_id
