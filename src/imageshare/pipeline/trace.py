"""What one request did, filled in by the pipeline as it goes: the request log, the metrics and
the audit trail read it afterwards. Only what was verified or chosen by us is trusted; the
claimed action and version are the caller's text (kept short, and escaped where written)."""

from __future__ import annotations

from dataclasses import dataclass

from imageshare.domain.principal import Principal, PrincipalType
from imageshare.errors import ServiceError

# A claimed name longer than any real action is cut: a log line is not a place for 1 MiB.
MAX_CLAIMED_NAME = 64


@dataclass(slots=True)
class Trace:
    request_id: str = ""
    product: str = ""  # the RAM service code ("swas-open"), once the version is known
    version: str = ""
    action: str = ""
    routed: bool = False  # (version, action) is a registered action
    principal: Principal | None = None  # set once the caller is authenticated
    error: ServiceError | None = None
    status: int = 0

    def claim(self, version: str, action: str) -> None:
        self.version = version[:MAX_CLAIMED_NAME]
        self.action = action[:MAX_CLAIMED_NAME]

    @property
    def error_code(self) -> str:
        return self.error.code if self.error is not None else ""


def principal_name(principal: Principal) -> str:
    """The caller as a person reads it: ``root``, the RAM user, or ``role:session``."""
    if principal.type is PrincipalType.ROOT:
        return "root"
    return principal.display_name
