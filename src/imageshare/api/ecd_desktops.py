"""ECD (2020-09-30) DescribeDesktops: the desktops `imageshare ecd desktops create` made, so
automation finds them through the API, as it would on the real service. Office sites,
bundles, users and policies are not emulated: those fields are empty (docs/ecd.md)."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from imageshare.api.ecd_params import EcdRegionId
from imageshare.api.ecs_params import Text
from imageshare.api.models import RpcRequest
from imageshare.api.products import ECD
from imageshare.api.registry import Action, Call
from imageshare.domain.ecd import Desktop
from imageshare.domain.paging import offset_page
from imageshare.services import ecd_desktops as service

# What a desktop made by the CLI has: a running, pay-as-you-go, 2 vCPU / 4 GiB desktop.
RUNNING, CPU, MEMORY_MIB = "Running", 2, 4096


class DescribeDesktopsRequest(RpcRequest):
    region_id: EcdRegionId
    desktop_id: list[Text] = Field(default=[], max_length=100)
    desktop_status: Text | None = None
    os_types: list[Text] = Field(default=[], max_length=2)
    page_number: int = Field(default=1, ge=1, le=2**31 - 1)
    page_size: int = Field(default=10, ge=1, le=100)
    max_results: int | None = Field(default=None, ge=1, le=100)
    next_token: Text | None = None


def _desktop(desktop: Desktop) -> dict[str, Any]:
    # Field types as alibabacloud_ecd20200930 declares DescribeDesktopsResponseBodyDesktops.
    return {
        "DesktopId": desktop.id,
        "DesktopName": desktop.id,
        "DesktopStatus": RUNNING,
        "DesktopType": "eds.enterprise_office.2c4g",
        "OsType": desktop.os_type,
        "Platform": "Windows Server 2019" if desktop.os_type == "Windows" else "Ubuntu",
        "Cpu": CPU,
        "Memory": MEMORY_MIB,
        "SystemDiskSize": desktop.system_disk_size,
        "DataDiskSize": desktop.data_disk_size,
        "SystemDiskCategory": "cloud_auto",
        "DataDiskCategory": "cloud_auto",
        "VolumeEncryptionEnabled": desktop.encrypted,
        "VolumeEncryptionKey": desktop.encryption_key_id or "",
        "ChargeType": "PostPaid",
        "ProtocolType": "ASP",
        "SessionType": "SINGLE_SESSION",
        "CreationTime": desktop.created_at.strftime("%Y-%m-%dT%H:%MZ"),
        "StartTime": desktop.created_at.strftime("%Y-%m-%dT%H:%MZ"),
        "EndUserIds": [],
        "Disks": [],
        "Tags": [],
        "OfficeSiteId": "",
        "ImageId": "",
        "BundleId": "",
    }


def describe_desktops(call: Call, req: DescribeDesktopsRequest) -> dict[str, Any]:
    """Oldest first. ``MaxResults``/``NextToken`` page when given (the token is the offset of
    the next page), else ``PageNumber``/``PageSize``; a page past the end is empty."""
    found = service.find_desktops(
        call.uow, call.principal.account_id, req.region_id, req.desktop_id, req.os_types
    )
    if req.desktop_status not in (None, "", RUNNING):  # every desktop here is running
        found = []
    if req.max_results is not None or req.next_token:
        page, token = offset_page(found, req.next_token, req.max_results or 10)
        return {
            "TotalCount": len(found),
            "NextToken": token,
            "Desktops": [_desktop(d) for d in page],
        }
    offset = (req.page_number - 1) * req.page_size
    page = found[offset : offset + req.page_size]
    return {
        "TotalCount": len(found),
        "PageNumber": req.page_number,
        "PageSize": req.page_size,
        "Desktops": [_desktop(d) for d in page],
    }


ACTIONS = (
    Action(
        product=ECD,
        name="DescribeDesktops",
        request=DescribeDesktopsRequest,
        handler=describe_desktops,
    ),
)
