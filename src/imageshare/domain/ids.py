"""Identifier formats, shaped like the real service's so SDK users can pattern-match on them."""

from __future__ import annotations

import os
import re
import secrets
import string

_LOWER_ALNUM = string.ascii_lowercase + string.digits
_ALNUM = string.ascii_letters + string.digits

ACCOUNT_ID_PATTERN = re.compile(r"^1[0-9]{15}$")


def new_account_id() -> int:
    """A 16-digit id beginning with 1, like real ones; below 2**53, so exact in JavaScript."""
    return 10**15 + secrets.randbelow(10**15)


def is_account_id(value: str) -> bool:
    return bool(ACCOUNT_ID_PATTERN.fullmatch(value))


def new_access_key_id() -> str:
    # Real root and RAM keys start with "LTAI" and are 24 characters long.
    return "LTAI" + "".join(secrets.choice(_ALNUM) for _ in range(20))


def new_access_key_secret() -> str:
    return "".join(secrets.choice(_ALNUM) for _ in range(30))


def new_resource_id(prefix: str) -> str:
    """``m-`` images, ``s-`` snapshots, ``d-`` disks...: the prefix and 20 lower-case alnums."""
    return prefix + "-" + "".join(secrets.choice(_LOWER_ALNUM) for _ in range(20))


_VARIANT_DIGITS = "89AB"  # RFC 4122: the variant's two high bits are 10


def new_request_id() -> str:
    """Upper-case UUID version 4, the form real responses carry. Formatted from 16 random
    bytes here: every request makes one, and ``str(uuid.uuid4()).upper()`` took twice as long.
    """
    digits = os.urandom(16).hex().upper()
    variant = _VARIANT_DIGITS[int(digits[16], 16) & 3]
    return f"{digits[:8]}-{digits[8:12]}-4{digits[13:16]}-{variant}{digits[17:20]}-{digits[20:]}"
