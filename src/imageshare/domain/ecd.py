"""Elastic Desktop Service: desktops, and the rules of ECD custom images. No I/O."""

from __future__ import annotations

import re
import secrets
import string
from datetime import datetime

from imageshare.domain.images import copying
from imageshare.values import frozen


@frozen
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
    return bool(_ECD_IMAGE_NAME.fullmatch(name)) and not name.startswith(_URL_PREFIXES)


def valid_ecd_description(text: str) -> bool:
    """2-256 characters, not starting with http:// or https://."""
    return 2 <= len(text) <= 256 and not text.startswith(_URL_PREFIXES)


def ecd_os_type(value: str) -> str | None:
    """The OsType spelled as ECD_OS_TYPES spells it, whatever the caller's case; else None."""
    return next((os for os in ECD_OS_TYPES if os.lower() == value.lower()), None)


def effective_ecd_status(status: str, ready_at: datetime | None, now: datetime) -> str:
    """The status callers see: a copy is "Creating" until it arrives."""
    return ECD_CREATING if copying(ready_at, now) else status
