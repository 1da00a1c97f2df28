"""Pure rules of ECS custom images: statuses, owner aliases, names, the share rules and limit,
encryption keys. No I/O."""

from __future__ import annotations

import functools
import re
import secrets
import string
from datetime import datetime

from imageshare.domain.products import ImageProduct
from imageshare.domain.sharing import ShareRules
from imageshare.values import frozen

AVAILABLE, CREATING, DEPRECATED = "Available", "Creating", "Deprecated"
CREATE_FAILED = "CreateFailed"
# Every status DescribeImages' Status filter names; "ALL" asks for any of them.
STATUSES = ("Creating", "Waiting", "Available", "UnAvailable", "CreateFailed", "Deprecated")
ALL_STATUSES = "ALL"

SYSTEM, SELF, OTHERS, MARKETPLACE = "system", "self", "others", "marketplace"
OWNER_ALIASES = (SYSTEM, SELF, OTHERS, MARKETPLACE)
USAGES = ("instance", "none")
ACTION_TYPES = ("CreateEcs", "ChangeOS")
BOOT_MODES = ("BIOS", "UEFI", "UEFI-Preferred")

# "A custom image can be shared to up to 50 Alibaba Cloud accounts" (ModifyImageSharePermission).
ECS_SHARE_LIMIT = 50
# The group a community image is shared with, as DescribeImageSharePermission lists it.
COMMUNITY_GROUP = "all"
# ECS's own key, the one an image encrypted "by default" uses: the docs call it the service key.
# Images under it cannot be shared; images under a customer master key (CMK) can.
SERVICE_KEY = "alias/acs/ecs"

ECS_SHARING = ShareRules(
    product=ImageProduct.ECS,
    add_parameter="AddAccount",
    remove_parameter="RemoveAccount",
    # "Images can be shared between the China site, the international site and the Japan
    # site", except images made from Marketplace images, which are not emulated.
    across_sites=True,
    encrypted_shareable=False,
    customer_key_shareable=True,
    # A recipient managing an image shared with it, or an owner naming another region:
    # ECS documents only InvalidImageId.NotFound.
    recipient_told_shared=False,
    region_hint=False,
    # ECS's own texts, which scripts match on: the double space is the service's.
    account_missing_message=(
        'The specified parameter "AddAccount.n" or "RemoveAccount.n"  does not exist.'
    ),
    limit_message="The shared Image user Quota exceeds.",
)

# ImageName, ImageFamily, DestinationImageName: 2-128 characters, starting with a letter or a
# Chinese character; letters, digits, Chinese characters, ".", ":", "_" and "-"; not starting
# with "aliyun" or "acs:", and no "http://" or "https://" anywhere.
_NAME = re.compile(r"^[A-Za-z\u4e00-\u9fa5][A-Za-z0-9\u4e00-\u9fa5.:_-]{1,127}$")
_URLS = ("http://", "https://")
_LOWER_ALNUM = string.ascii_lowercase + string.digits
# Custom image ids: "m-" and 20 lower-case letters and digits (m-bp1g7004ksh0oeuc****).
ID_LENGTH = 20


def valid_name(name: str) -> bool:
    return (
        bool(_NAME.match(name))
        and not name.lower().startswith(("aliyun", "acs:"))
        and not any(url in name for url in _URLS)
    )


def valid_description(text: str) -> bool:
    """2-256 characters, not starting with http:// or https://."""
    return 2 <= len(text) <= 256 and not text.startswith(_URLS)


def new_id(prefix: str) -> str:
    """``m-`` images, ``i-`` instances, ``d-`` disks, ``s-`` snapshots."""
    return prefix + "-" + "".join(secrets.choice(_LOWER_ALNUM) for _ in range(ID_LENGTH))


def split_list(value: str | None) -> list[str] | None:
    """A comma-separated parameter (ImageId, Status) as its non-empty parts; None if absent."""
    if value is None or not value.strip():
        return None
    return [part.strip() for part in value.split(",") if part.strip()]


def wanted_statuses(value: str | None) -> frozenset[str] | None:
    """The statuses a Status filter asks for; None for any ("ALL"). Default: Available.

    A value ECS does not know matches no image (ECS documents no error for it)."""
    parts = split_list(value)
    if parts is None:
        return frozenset({AVAILABLE})
    if ALL_STATUSES in parts:
        return None
    return frozenset(parts)


def effective_status(status: str, ready_at: datetime | None, now: datetime) -> str:
    """The status callers see: an image still being made or copied is "Creating"."""
    return CREATING if ready_at is not None and now < ready_at else status


@frozen
class EcsImage:
    id: str
    account_id: int
    region_id: str
    product: str
    name: str
    description: str
    status: str
    platform: str  # "Linux" | "Windows"
    os_name: str | None
    architecture: str | None
    image_family: str | None
    boot_mode: str | None
    system_snapshot_id: str | None
    system_disk_size: int
    data_snapshot_id: str | None
    data_disk_size: int
    resource_group_id: str | None
    encryption_key_id: str | None
    created_at: datetime
    ready_at: datetime | None
    copied_from: str | None
    published_at: datetime | None
    source_instance_id: str | None = None


@frozen
class CommunityTerms:
    """Who may publish a community image where: publishing "is not supported" outside
    ``regions`` (None: every region; coreos' client: "only us-east-1 and us-west-1 support
    making images public unless your account has been allowlisted"), and an account must have
    signed the Community Image Terms of Service (``unsigned``: the ones that have not)."""

    regions: frozenset[str] | None = None
    unsigned: frozenset[int] = frozenset()


@functools.lru_cache(maxsize=8)
def community_terms(regions: str, unsigned: str) -> CommunityTerms:
    """The terms from the settings' comma lists (empty: no restriction).

    :raises ValueError: an account that is not a number."""
    chosen = frozenset(r.strip() for r in regions.split(",") if r.strip())
    accounts = frozenset(int(a) for a in unsigned.split(",") if a.strip())
    return CommunityTerms(chosen or None, accounts)
