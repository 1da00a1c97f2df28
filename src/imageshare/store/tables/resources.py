"""What custom images are made from and run on: SWAS instances, disks and snapshots, ECD
desktops, ECS instances, disks and snapshots."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
)

from imageshare.store.tables.common import metadata

# --- Simple Application Server resources: what a custom image is made from -----------------

swas_instances = Table(
    "swas_instances",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("account_id", BigInteger, ForeignKey("accounts.id"), nullable=False),
    Column("region_id", String(32), nullable=False),
    Column("name", String(128), nullable=False),
    Column("plan_id", String(64), nullable=False),
    # A public image id (32 hex) or a custom image id (m-...), owned or shared.
    Column("image_id", String(64), nullable=False),
    Column("status", String(16), nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("expires_at", DateTime, nullable=False),
    Index("ix_swas_instances_account_region", "account_id", "region_id"),
)

swas_disks = Table(
    "swas_disks",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("account_id", BigInteger, ForeignKey("accounts.id"), nullable=False),
    Column("region_id", String(32), nullable=False),
    Column("instance_id", String(32), ForeignKey("swas_instances.id"), nullable=False, index=True),
    Column("disk_type", String(16), nullable=False),  # "System" | "Data"
    Column("category", String(32), nullable=False),
    Column("size", Integer, nullable=False),
    Column("device", String(32), nullable=False),
    Column("created_at", DateTime, nullable=False),
    Index("ix_swas_disks_account_region", "account_id", "region_id"),
)

swas_snapshots = Table(
    "swas_snapshots",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("account_id", BigInteger, ForeignKey("accounts.id"), nullable=False),
    Column("region_id", String(32), nullable=False),
    Column("name", String(64), nullable=False),
    Column("disk_id", String(32), ForeignKey("swas_disks.id"), nullable=False, index=True),
    Column("instance_id", String(32), nullable=False),
    Column("source_disk_type", String(16), nullable=False),
    Column("status", String(16), nullable=False),
    Column("created_at", DateTime, nullable=False),
    Index("ix_swas_snapshots_account_region", "account_id", "region_id"),
)

# --- Elastic Desktop Service desktops: made by the admin CLI, the source of ECD images --------

ecd_desktops = Table(
    "ecd_desktops",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("account_id", BigInteger, ForeignKey("accounts.id"), nullable=False),
    Column("region_id", String(32), nullable=False),
    Column("os_type", String(16), nullable=False),  # "Windows" | "Linux"
    # Set for an encrypted desktop; images made from it inherit the key.
    Column("encryption_key_id", String(64), nullable=True),
    Column("system_disk_size", Integer, nullable=False),
    Column("data_disk_size", Integer, nullable=False),
    Column("created_at", DateTime, nullable=False),
    Index("ix_ecd_desktops_account_region", "account_id", "region_id"),
)

# --- ECS instances, their disks and snapshots: what ECS custom images are made from and run on

ecs_instances = Table(
    "ecs_instances",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("account_id", BigInteger, ForeignKey("accounts.id"), nullable=False),
    Column("region_id", String(32), nullable=False),
    Column("zone_id", String(32), nullable=False),
    Column("name", String(128), nullable=False),
    Column("instance_type", String(64), nullable=False),
    # A system image id (aliyun_3_x64_...vhd) or a custom image id (m-...), as launched.
    Column("image_id", String(64), nullable=False),
    Column("os_type", String(16), nullable=False),  # "linux" | "windows", from its image
    Column("status", String(16), nullable=False),  # "Running" | "Stopped": where it settles
    Column("created_at", DateTime, nullable=False),
    # A start or stop under way (migration 0013): "Starting" or "Stopping" is the status shown
    # until settles_at; NULL: settled (domain/ecs_states.py).
    Column("pending_status", String(16), nullable=True),
    Column("settles_at", DateTime, nullable=True),
    Index("ix_ecs_instances_account_region", "account_id", "region_id"),
)

ecs_disks = Table(
    "ecs_disks",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("account_id", BigInteger, ForeignKey("accounts.id"), nullable=False),
    Column("region_id", String(32), nullable=False),
    Column("instance_id", String(32), ForeignKey("ecs_instances.id"), nullable=True, index=True),
    Column("disk_type", String(16), nullable=False),  # "system" | "data"
    Column("category", String(32), nullable=False),
    Column("size", Integer, nullable=False),
    Column("device", String(32), nullable=False),
    Column("image_id", String(64), nullable=True),  # a system disk's image
    Column("source_snapshot_id", String(32), nullable=True),
    Column("created_at", DateTime, nullable=False),
)

ecs_snapshots = Table(
    "ecs_snapshots",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("account_id", BigInteger, ForeignKey("accounts.id"), nullable=False),
    Column("region_id", String(32), nullable=False),
    Column("disk_id", String(32), nullable=False, index=True),
    Column("instance_id", String(32), nullable=True),
    Column("name", String(128), nullable=False),
    Column("description", String(256), nullable=False),
    Column("source_disk_type", String(16), nullable=False),
    Column("size", Integer, nullable=False),
    # The image the disk was made from, so an image made from the snapshot knows its OS.
    Column("image_id", String(64), nullable=True),
    Column("created_at", DateTime, nullable=False),
    Index("ix_ecs_snapshots_account_region", "account_id", "region_id"),
)

# The tags of ECS instances, disks and snapshots (images keep theirs in image_tags), with the
# owner and region ListTagResources lists them by (migration 0013).
ecs_resource_tags = Table(
    "ecs_resource_tags",
    metadata,
    Column("resource_id", String(32), primary_key=True),
    Column("key", String(128), primary_key=True),
    Column("value", String(128), nullable=False),
    Column("resource_type", String(16), nullable=False),  # "instance" | "disk" | "snapshot"
    Column("account_id", BigInteger, ForeignKey("accounts.id"), nullable=False),
    Column("region_id", String(32), nullable=False),
    Index("ix_ecs_resource_tags_owner", "account_id", "region_id", "resource_type"),
)
