"""Authorisation: may this principal call this action on this resource?

The account's root identity may do everything on its own account's resources; resource
ownership itself is checked by the services (another account's image is simply not found).
RAM users and role sessions are evaluated against their policies (the RAM issue fills this in);
until then they are denied, which is the safe default.
"""

from __future__ import annotations

from typing import Any

from imageshare.api.registry import Action, Call
from imageshare.errors import Forbidden


def authorise(call: Call, action: Action, request: Any) -> None:
    """:raises Forbidden: the principal has no Allow for the action on the resource."""
    if call.principal.is_root:
        return
    raise Forbidden()
