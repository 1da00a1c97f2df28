"""Pure rules for custom images and their shares: names, share operations, share limits,
each product's sharing rules, wire time formats and paging. No I/O."""

from __future__ import annotations

import base64
import binascii
import re
import secrets
import string
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from imageshare.domain.products import ImageProduct

# 2-128 characters, starting with a letter, a Chinese character or a digit, then letters,
# Chinese characters, digits, ":", "_" and "-" (no ".", unlike snapshot names).
_IMAGE_NAME = re.compile(r"^[A-Za-z0-9\u4e00-\u9fa5][A-Za-z0-9\u4e00-\u9fa5:_-]{1,127}$")
# 2-50 characters, starting with a letter or a Chinese character; "." allowed too.
_SNAPSHOT_NAME = re.compile(r"^[A-Za-z\u4e00-\u9fa5][A-Za-z0-9\u4e00-\u9fa5:_.-]{1,49}$")

# ListCustomImages reports Status as a digit string: 0 copying, 1 available, 2 unavailable,
# 3 creation failed, 4 creating. Emulated images are available as soon as they exist.
STATUS_AVAILABLE = "1"

MAX_ACCOUNTS_PER_CALL = 10
CUSTOM_IMAGES_PER_INSTANCE = 3
MAX_CUSTOM_IMAGES_PER_REGION = 15


class ShareOperation(StrEnum):
    SHARE = "Share"
    UNSHARE = "UnShare"


def share_operation(value: str) -> ShareOperation | None:
    """The documented spellings only: "Share" or "UnShare"; anything else is None."""
    try:
        return ShareOperation(value)
    except ValueError:
        return None


def valid_image_name(name: str) -> bool:
    return bool(_IMAGE_NAME.match(name)) and not name.startswith(("http:", "https:"))


def valid_snapshot_name(name: str) -> bool:
    return bool(_SNAPSHOT_NAME.match(name)) and not name.startswith(("http:", "https:"))


def custom_image_quota(instance_count: int) -> int:
    """Three images per server created in the region, and never more than fifteen."""
    return min(CUSTOM_IMAGES_PER_INSTANCE * instance_count, MAX_CUSTOM_IMAGES_PER_REGION)


def new_instance_id() -> str:
    """SWAS instance ids are 32 lower-case hex characters with no prefix."""
    return uuid.uuid4().hex


def expiry(created: datetime, months: int) -> datetime:
    """Subscriptions end at 16:00 UTC (midnight in Beijing) ``months`` after creation."""
    month_index = created.month - 1 + months
    year, month = created.year + month_index // 12, month_index % 12 + 1
    day = min(created.day, _days_in_month(year, month))
    return datetime(year, month, day, 16, 0, 0)


def _days_in_month(year: int, month: int) -> int:
    following = datetime(year + month // 12, month % 12 + 1, 1)
    return (following - timedelta(days=1)).day


@dataclass(frozen=True)
class Page:
    number: int
    size: int

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.size


# --- Sharing: one share model (images + image_shares), rules per product -----------------


@dataclass(frozen=True, kw_only=True)
class ShareRules:
    """What differs between products when an image is shared; everything else is common."""

    product: str
    #: Wire names of the account lists, for messages that name the parameter.
    add_parameter: str
    remove_parameter: str
    #: May a China-site account and an international-site account share with each other?
    across_sites: bool
    #: May an encrypted image be shared at all?
    encrypted_shareable: bool
    #: ...and if not: may one encrypted with a customer master key (ECS: yes; only images
    #: under the service key are refused)?
    customer_key_shareable: bool = False
    #: A recipient managing an image shared with it: told so (ECD) or "not found" (SWAS).
    recipient_told_shared: bool
    #: An owner naming its own image in the wrong region: pointed to CopyImage (ECD), or
    #: simply "not found" (SWAS).
    region_hint: bool
    #: The product's own wording, where it has one (None: the error's default message).
    account_missing_message: str | None = None
    limit_message: str | None = None


SWAS_SHARING = ShareRules(
    product=ImageProduct.SWAS,
    add_parameter="Account",
    remove_parameter="Account",
    across_sites=False,
    encrypted_shareable=True,
    recipient_told_shared=False,
    region_hint=False,
)
ECD_SHARING = ShareRules(
    product=ImageProduct.ECD,
    add_parameter="AddAccount",
    remove_parameter="RemoveAccount",
    across_sites=True,
    encrypted_shareable=False,
    recipient_told_shared=True,
    region_hint=True,
)

# The ECD docs disagree (20 in one SDK docstring, 50 in another); 50 is the figure the Java
# SDK, the ECD user guide and ECS (whose images ECD images are) all give. docs/ecd.md.
ECD_SHARE_LIMIT = 50


def shares_after_change(current: set[int], adding: set[int], removing: set[int]) -> int:
    """How many accounts an image is shared with once a call's removals and additions apply;
    re-adding an account that has it is not a new share."""
    return len((current - removing) | adding)


# --- Elastic Desktop Service images ------------------------------------------------------

_LOWER_ALNUM = string.ascii_lowercase + string.digits
# ECD's examples show 17 characters after the prefix (m-gx2x1dhsmusr2****, ecd-7w78ozhjcwa3u****).
ECD_ID_LENGTH = 17

# 2-128 characters, starting with a letter or a Chinese character (not a digit, unlike SWAS),
# then letters, Chinese characters, digits, ":", "_" and "-".
_ECD_IMAGE_NAME = re.compile(r"^[A-Za-z\u4e00-\u9fa5][A-Za-z0-9\u4e00-\u9fa5:_-]{1,127}$")
_URL_PREFIXES = ("http://", "https://")

ECD_AVAILABLE, ECD_CREATING, ECD_CREATE_FAILED = "Available", "Creating", "CreateFailed"
ECD_STATUSES = (ECD_CREATING, ECD_AVAILABLE, ECD_CREATE_FAILED)
ECD_IMAGE_TYPES = ("SYSTEM", "CUSTOM")
ECD_OS_TYPES = ("Windows", "Linux")
# What DescribeImages calls the operating system of an image made from such a desktop.
ECD_PLATFORMS = {"Windows": "Windows Server 2019", "Linux": "Ubuntu"}
# A copy stays "Creating" this long, so callers' wait-until-Available loops run for real.
ECD_COPY_SECONDS = 2


def new_ecd_id(prefix: str) -> str:
    """``m-`` images, ``ecd-`` desktops: the prefix and 17 lower-case letters and digits."""
    return prefix + "-" + "".join(secrets.choice(_LOWER_ALNUM) for _ in range(ECD_ID_LENGTH))


def valid_ecd_image_name(name: str) -> bool:
    return bool(_ECD_IMAGE_NAME.match(name)) and not name.startswith(_URL_PREFIXES)


def valid_ecd_description(text: str) -> bool:
    """2-256 characters, not starting with http:// or https://."""
    return 2 <= len(text) <= 256 and not text.startswith(_URL_PREFIXES)


def ecd_os_type(value: str) -> str | None:
    """The OsType spelled as ECD_OS_TYPES spells it, whatever the caller's case; else None."""
    return next((os for os in ECD_OS_TYPES if os.lower() == value.lower()), None)


def copying(ready_at: datetime | None, now: datetime) -> bool:
    """Is the image a copy that has not arrived yet?"""
    return ready_at is not None and now < ready_at


def effective_ecd_status(status: str, ready_at: datetime | None, now: datetime) -> str:
    """The status callers see: a copy is "Creating" until it arrives."""
    return ECD_CREATING if copying(ready_at, now) else status


def copy_progress(created_at: datetime, ready_at: datetime | None, now: datetime) -> int:
    """Percent done: 100 once usable, otherwise the share of the copy time gone by (< 100)."""
    if ready_at is None or now >= ready_at:
        return 100
    elapsed = (now - created_at) / (ready_at - created_at)
    return max(0, min(99, int(elapsed * 100)))


def encode_cursor(created_at: datetime, image_id: str) -> str:
    """An opaque NextToken naming the last image of a page (listing order: created, id)."""
    raw = f"{created_at.isoformat()}|{image_id}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(token: str) -> tuple[datetime, str] | None:
    """The position a NextToken names; None when it is not one this server issued."""
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
        moment, image_id = raw.split("|", 1)
        return datetime.fromisoformat(moment), image_id
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
