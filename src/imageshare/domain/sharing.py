"""Sharing: one share model (images + image_shares) for every product, and each product's
rules as data (ShareRules). No I/O."""

from __future__ import annotations

from enum import StrEnum

from imageshare.domain.products import ImageProduct
from imageshare.values import frozen

MAX_ACCOUNTS_PER_CALL = 10


class ShareOperation(StrEnum):
    SHARE = "Share"
    UNSHARE = "UnShare"


def share_operation(value: str) -> ShareOperation | None:
    """The documented spellings only: "Share" or "UnShare"; anything else is None."""
    try:
        return ShareOperation(value)
    except ValueError:
        return None


@frozen(kw_only=True)
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
