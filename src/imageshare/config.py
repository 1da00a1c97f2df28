"""Settings, read once from ``IMAGESHARE_*`` environment variables or passed in by the CLI."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from imageshare.domain.operations import Operation

DEFAULT_DATABASE_URL = "sqlite:///imageshare.db"
# A day: longer than any real copy, short enough to be a duration, not a mistake.
MAX_OPERATION_SECONDS = 86400


class Settings(BaseSettings):
    """Everything the server and the admin commands need to know; frozen once built."""

    model_config = SettingsConfigDict(env_prefix="IMAGESHARE_", frozen=True)

    database_url: str = DEFAULT_DATABASE_URL
    host: str = "127.0.0.1"
    port: int = 8080
    # The real gateway rejects a request whose timestamp is more than 15 minutes off.
    max_clock_skew_seconds: int = Field(default=900, ge=1)
    # SWAS documents no per-image limit; 10 matches its 10-accounts-per-call limit (docs/swas.md).
    # How long a ClientToken's first response is replayed; older records are pruned, a
    # batch at a time (docs/protocol.md). Alibaba Cloud documents no window: a day here.
    client_token_window_seconds: int = Field(default=86400, ge=1)
    swas_share_limit: int = Field(default=10, ge=1)
    # "A custom image can be shared to up to 50 Alibaba Cloud accounts" (ECS; raised by ticket).
    ecs_share_limit: int = Field(default=50, ge=1)
    # How long each operation that takes time runs on the server's clock, in seconds
    # (docs/testing.md, "Operations that take time"); the testing server makes every one 0.
    # Copies and ECS image creation take 2 s, so callers' wait-until-Available loops run for
    # real; SWAS and ECD image creation is immediate, as it always was here.
    ecs_create_image_seconds: float = Field(default=2.0, ge=0, le=MAX_OPERATION_SECONDS)
    ecs_copy_image_seconds: float = Field(default=2.0, ge=0, le=MAX_OPERATION_SECONDS)
    swas_create_custom_image_seconds: float = Field(default=0.0, ge=0, le=MAX_OPERATION_SECONDS)
    ecd_create_image_seconds: float = Field(default=0.0, ge=0, le=MAX_OPERATION_SECONDS)
    ecd_copy_image_seconds: float = Field(default=2.0, ge=0, le=MAX_OPERATION_SECONDS)
    # How long an ECS instance shows Starting (RunInstances, StartInstance) or Stopping
    # (StopInstance) before Running or Stopped (seconds); the testing server makes it 0.
    ecs_instance_settle_seconds: float = Field(default=2.0, ge=0, le=86400)
    # ECS community images (docs/ecs.md): the regions where images may be published (a comma
    # list; empty: every ECS region), and the accounts that have not signed the Community
    # Image Terms of Service (a comma list of account ids; empty: every account has).
    ecs_community_regions: str = ""
    ecs_community_unsigned_accounts: str = ""
    # The request log (docs/observability.md): a line per call at info, in text or JSON lines.
    # Never a secret in it; the demo banner is the one place a secret is printed.
    log_level: Literal["debug", "info", "warning", "error"] = "info"
    log_format: Literal["text", "json"] = "text"
    # How long the audit trail keeps events (LookupEvents; docs/actiontrail.md): ActionTrail's
    # event history keeps 90 days.
    trail_retention_days: int = Field(default=90, ge=1)
    # Off: no call is recorded and LookupEvents finds nothing new (a test suite that never
    # looks saves a read's event, about 8 % of its cost; docs/actiontrail.md).
    audit_trail: bool = True
    # /metrics asks for the admin token too (it names the actions called and how often).
    metrics_require_token: bool = False
    # Throttling as documented (docs/testing.md, "Throttling"): "" off, "documented", and/or
    # "product:Action=N[/min]" rates, comma-separated. Off by default, so tests stay fast.
    throttle: str = ""
    # Processes serving on this address (`serve --workers`): each enforces its share of a rate.
    workers: int = Field(default=1, ge=1)
    # Bearer token for /_imageshare/ (reset, state, snapshots; docs/admin.md). None turns those
    # endpoints off, except health; `serve` generates and prints one when none is set.
    admin_token: str | None = Field(default=None, min_length=16)

    def seconds_of(self, operation: Operation) -> float:
        """How long ``operation`` runs (its setting above)."""
        seconds: float = getattr(self, duration_setting(operation))
        return seconds

    @field_validator("ecs_community_unsigned_accounts")
    @classmethod
    def _account_ids(cls, value: str) -> str:
        # Checked at start-up, so a request never meets a malformed list.
        if not all(
            a.strip().isascii() and a.strip().isdigit() for a in value.split(",") if a.strip()
        ):
            raise ValueError("a comma-separated list of account ids")
        return value

    @field_validator("log_level", mode="before")
    @classmethod
    def _level_any_case(cls, value: object) -> object:
        # IMAGESHARE_LOG_LEVEL=WARNING works as well as warning, as in uvicorn.
        return value.lower() if isinstance(value, str) else value


def duration_setting(operation: Operation) -> str:
    """The setting of ``operation``'s duration: ``ecs:CopyImage`` -> ``ecs_copy_image_seconds``
    (IMAGESHARE_ECS_COPY_IMAGE_SECONDS). Every Operation has one (a test checks)."""
    return _DURATION_SETTINGS[operation]


_DURATION_SETTINGS = {
    Operation.ECS_CREATE_IMAGE: "ecs_create_image_seconds",
    Operation.ECS_COPY_IMAGE: "ecs_copy_image_seconds",
    Operation.SWAS_CREATE_CUSTOM_IMAGE: "swas_create_custom_image_seconds",
    Operation.ECD_CREATE_IMAGE: "ecd_create_image_seconds",
    Operation.ECD_COPY_IMAGE: "ecd_copy_image_seconds",
}
