"""What one request did, filled in by the pipeline as it goes: the request log, the metrics and
the audit trail read it afterwards. Only what was verified or chosen by us is trusted; the
claimed action and version are the caller's text (kept short, and escaped where written)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from imageshare.domain.faults import FaultRule
from imageshare.domain.principal import Principal, principal_name
from imageshare.errors import ServiceError

if TYPE_CHECKING:
    from pydantic import BaseModel

    from imageshare.pipeline.common import CallClaim

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
    # For the audit event (pipeline/audit.py): when, what was asked, and whether the event
    # is already written in the action's own transaction.
    now: datetime | None = None
    call_claim: CallClaim | None = None
    request: BaseModel | None = None  # the validated request
    writes: bool = False  # a routed action that changes state
    recorded: bool = False
    # The fault rule that fired on the call (pipeline/faults.py): the HTTP layer delays the
    # answer, or holds the connection and closes it, as the rule says.
    fault: FaultRule | None = None

    def claim(self, version: str, action: str) -> None:
        self.version = version[:MAX_CLAIMED_NAME]
        self.action = action[:MAX_CLAIMED_NAME]

    @property
    def error_code(self) -> str:
        return self.error.code if self.error is not None else ""


__all__ = ["Trace", "principal_name"]
