"""ECD DescribeImages with ImageType=SYSTEM: ECD's public desktop images from the one public
catalogue (domain.catalogue), paged by the same opaque NextToken as custom images (the
last image shown; the catalogue is ordered by creation time and id)."""

from __future__ import annotations

from typing import Any

from imageshare.domain.catalogue import ECD_SYSTEM_IMAGES, EcdSystemImage
from imageshare.domain.paging import decode_cursor, encode_cursor, look_ahead
from imageshare.domain.times import wire_time

SYSTEM_ORDER = sorted(ECD_SYSTEM_IMAGES, key=lambda i: (i.created_at, i.id))


def _matches(image: EcdSystemImage, req: Any) -> bool:
    after = decode_cursor(req.next_token) if req.next_token else None
    return (
        (not req.image_id or image.id in req.image_id)
        and req.image_name in (None, image.name)
        and req.image_status in (None, "Available")
        and (req.os_type is None or req.os_type == image.os_type)
        and (after is None or (image.created_at, image.id) > after)
    )


def _shape(
    image: EcdSystemImage, protocol: str, session: str, languages: list[str]
) -> dict[str, Any]:
    # The fields and types of DescribeImagesResponseBodyImages, as for custom images.
    return {
        "ImageId": image.id,
        "Name": image.name,
        "Description": image.name,
        "ImageType": "SYSTEM",
        "Status": "Available",
        "Progress": "100%",
        "OsType": image.os_type,
        "Platform": image.platform,
        "ProtocolType": protocol,
        "SessionType": session,
        "Size": image.size,
        "DataDiskSize": 0,
        "CreationTime": wire_time(image.created_at),
        "UpdateTime": wire_time(image.created_at),
        "SharedCount": 0,
        "GpuCategory": False,
        "GpuDriverVersion": "",
        "AppVersion": "",
        "SupportedLanguages": languages,
        "VolumeEncryptionEnabled": False,
        "VolumeEncryptionKey": "",
    }


def system_page(req: Any, protocol: str, session: str, languages: list[str]) -> dict[str, Any]:
    found = [image for image in SYSTEM_ORDER if _matches(image, req)]
    page, last = look_ahead(found, req.max_results)
    token = encode_cursor(last.created_at, last.id) if last else ""
    return {
        "Images": [_shape(image, protocol, session, languages) for image in page],
        "NextToken": token,
    }
