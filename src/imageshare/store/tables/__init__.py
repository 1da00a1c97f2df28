"""The schema, one definition for SQLite and PostgreSQL, a module per concept. State is
partitioned by columns (an owner column, a shares table), never by per-account containers.

Every table is imported here, so ``metadata`` is complete once this package is imported."""

from __future__ import annotations

from imageshare.store.tables.bookkeeping import (
    idempotency_records,
    imageshare_snapshots,
    signature_nonces,
    trail_events,
)
from imageshare.store.tables.clock import server_clock
from imageshare.store.tables.common import ledger_metadata, metadata
from imageshare.store.tables.faults import fault_rules
from imageshare.store.tables.identities import (
    access_keys,
    accounts,
    ram_attachments,
    ram_group_members,
    ram_groups,
    ram_policies,
    ram_policy_versions,
    ram_roles,
    ram_users,
    security_tokens,
)
from imageshare.store.tables.images import (
    image_shares,
    image_tags,
    images,
)
from imageshare.store.tables.resources import (
    ecd_desktops,
    ecs_disks,
    ecs_instances,
    ecs_resource_tags,
    ecs_snapshots,
    swas_disks,
    swas_instances,
    swas_snapshots,
)

__all__ = [
    "access_keys",
    "accounts",
    "ecd_desktops",
    "ecs_disks",
    "ecs_instances",
    "ecs_resource_tags",
    "ecs_snapshots",
    "fault_rules",
    "idempotency_records",
    "image_shares",
    "image_tags",
    "images",
    "imageshare_snapshots",
    "ledger_metadata",
    "metadata",
    "ram_attachments",
    "ram_group_members",
    "ram_groups",
    "ram_policies",
    "ram_policy_versions",
    "ram_roles",
    "ram_users",
    "security_tokens",
    "server_clock",
    "signature_nonces",
    "swas_disks",
    "swas_instances",
    "swas_snapshots",
    "trail_events",
]
