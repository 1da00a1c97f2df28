"""The schema, one definition for SQLite and PostgreSQL. State is partitioned by columns
(an owner column, a shares table), never by per-account containers."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()

accounts = Table(
    "accounts",
    metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=False),
    Column("site", String(16), nullable=False),
    Column("is_demo", Boolean, nullable=False, default=False),
    Column("created_at", DateTime, nullable=False),
)

access_keys = Table(
    "access_keys",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("account_id", BigInteger, ForeignKey("accounts.id"), nullable=False, index=True),
    # Set for a RAM user's key; NULL for the account's root keys.
    Column("user_name", String(64), nullable=True),
    Column("secret", String(64), nullable=False),
    Column("status", String(16), nullable=False),
    Column("created_at", DateTime, nullable=False),
)

# Temporary credentials issued by STS: the AccessKeyId starts with "STS.".
security_tokens = Table(
    "security_tokens",
    metadata,
    Column("access_key_id", String(64), primary_key=True),
    Column("account_id", BigInteger, ForeignKey("accounts.id"), nullable=False),
    Column("secret", String(64), nullable=False),
    Column("token", Text, nullable=False),
    Column("principal", Text, nullable=False),
    Column("expires_at", DateTime, nullable=False),
)

# --- RAM: users, groups, custom policies, roles, and what is attached to whom -------------
# System policies live in code (imageshare.domain.ram_system_policies), not in these tables.

ram_users = Table(
    "ram_users",
    metadata,
    Column("id", String(32), primary_key=True),  # UserId, digits like the real service's
    Column("account_id", BigInteger, ForeignKey("accounts.id"), nullable=False),
    Column("name", String(64), nullable=False),
    Column("display_name", String(128), nullable=False),
    Column("comments", String(128), nullable=False),
    Column("email", String(128), nullable=False),
    Column("mobile_phone", String(32), nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("updated_at", DateTime, nullable=False),
    UniqueConstraint("account_id", "name", name="uq_ram_users_name"),
)

ram_groups = Table(
    "ram_groups",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("account_id", BigInteger, ForeignKey("accounts.id"), nullable=False),
    Column("name", String(64), nullable=False),
    Column("comments", String(128), nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("updated_at", DateTime, nullable=False),
    UniqueConstraint("account_id", "name", name="uq_ram_groups_name"),
)

ram_group_members = Table(
    "ram_group_members",
    metadata,
    Column("group_id", String(32), ForeignKey("ram_groups.id"), primary_key=True),
    Column("user_id", String(32), ForeignKey("ram_users.id"), primary_key=True, index=True),
    Column("joined_at", DateTime, nullable=False),
)

ram_policies = Table(
    "ram_policies",
    metadata,
    Column("account_id", BigInteger, ForeignKey("accounts.id"), primary_key=True),
    Column("name", String(128), primary_key=True),
    Column("description", String(1024), nullable=False),
    Column("default_version", String(16), nullable=False),
    Column("next_version", Integer, nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("updated_at", DateTime, nullable=False),
)

ram_policy_versions = Table(
    "ram_policy_versions",
    metadata,
    Column("account_id", BigInteger, primary_key=True, autoincrement=False),
    Column("policy_name", String(128), primary_key=True),
    Column("version_id", String(16), primary_key=True),  # "v1", "v2", ...
    Column("document", Text, nullable=False),
    Column("created_at", DateTime, nullable=False),
)

ram_roles = Table(
    "ram_roles",
    metadata,
    Column("id", String(32), primary_key=True),  # RoleId
    Column("account_id", BigInteger, ForeignKey("accounts.id"), nullable=False),
    Column("name", String(64), nullable=False),
    Column("description", String(1024), nullable=False),
    Column("trust_policy", Text, nullable=False),
    Column("max_session_duration", Integer, nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("updated_at", DateTime, nullable=False),
    UniqueConstraint("account_id", "name", name="uq_ram_roles_name"),
)

# Who holds which policy: a user, a group or a role (by id), and a system or custom policy.
ram_attachments = Table(
    "ram_attachments",
    metadata,
    Column("account_id", BigInteger, ForeignKey("accounts.id"), nullable=False),
    Column("principal_kind", String(8), primary_key=True),  # "User" | "Group" | "Role"
    Column("principal_id", String(32), primary_key=True),
    Column("policy_type", String(8), primary_key=True),  # "System" | "Custom"
    Column("policy_name", String(128), primary_key=True),
    Column("attached_at", DateTime, nullable=False),
    Index("ix_ram_attachments_policy", "account_id", "policy_type", "policy_name"),
)

# Replay protection is bookkeeping, not emulated state: nonces are never exported, imported,
# reset or restored, so restoring a snapshot cannot let a request be replayed. PostgreSQL keeps
# them in its schema and claims them in the request's own transaction; SQLite keeps them in a
# database file of their own beside the main one (Store.nonce_ledger, docs/architecture.md).
ledger_metadata = MetaData()

signature_nonces = Table(
    "signature_nonces",
    ledger_metadata,
    Column("access_key_id", String(64), primary_key=True),
    Column("nonce", String(128), primary_key=True),
    Column("created_at", DateTime, nullable=False),
    Index("ix_signature_nonces_created_at", "created_at"),
    # SQLite: rows kept in the key's B-tree, one page less per insert (migration 0006).
    sqlite_with_rowid=False,
)

idempotency_records = Table(
    "idempotency_records",
    metadata,
    Column("account_id", BigInteger, primary_key=True, autoincrement=False),
    Column("action", String(128), primary_key=True),
    Column("client_token", String(64), primary_key=True),
    Column("params_hash", String(64), nullable=False),
    # NULL while the first request holding the token is still running.
    Column("response", Text, nullable=True),
    Column("created_at", DateTime, nullable=False),
    # Records past the window are pruned by age, a batch at a time (migration 0011).
    Index("ix_idempotency_records_created_at", "created_at"),
    sqlite_with_rowid=False,
)

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
    Column("status", String(16), nullable=False),  # "Running" | "Stopped"
    Column("created_at", DateTime, nullable=False),
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

# --- Custom images of every product, and who they are shared with -------------------------

images = Table(
    "images",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("account_id", BigInteger, ForeignKey("accounts.id"), nullable=False),
    Column("region_id", String(32), nullable=False),
    Column("product", String(16), nullable=False),  # "swas", "ecd", later "ecs"
    Column("name", String(128), nullable=False),
    Column("description", Text, nullable=False),
    Column("status", String(16), nullable=False),
    Column("platform", String(16), nullable=False),  # "Linux" | "Windows"
    Column("source_instance_id", String(64), nullable=True),
    Column("system_snapshot_id", String(32), nullable=True),
    Column("data_snapshot_id", String(32), nullable=True),
    Column("system_disk_size", Integer, nullable=False),
    Column("data_disk_size", Integer, nullable=False),
    Column("resource_group_id", String(64), nullable=True),
    # SWAS "share to ECS": the image also shows in the owner's ECS DescribeImages.
    Column("shared_to_ecs", Boolean, nullable=False, default=False),
    Column("created_at", DateTime, nullable=False),
    # The KMS key of an encrypted image (ECD: made from an encrypted desktop); NULL: plain.
    Column("encryption_key_id", String(64), nullable=True),
    # An ECD copy is "Creating" until then; NULL: usable from the moment it exists.
    Column("ready_at", DateTime, nullable=True),
    # Last ModifyImageAttribute; NULL: never modified (UpdateTime is the creation time).
    Column("updated_at", DateTime, nullable=True),
    # ECS attributes (migration 0008); NULL for other products' images, which ECS describes
    # with its defaults (x86_64, the platform column, no family).
    Column("architecture", String(16), nullable=True),
    Column("os_name", String(64), nullable=True),  # ECS Platform: "Ubuntu", "Aliyun", ...
    Column("image_family", String(128), nullable=True),
    Column("boot_mode", String(16), nullable=True),
    # The image a CopyImage copied (IsCopied); NULL: not a copy.
    Column("copied_from", String(64), nullable=True),
    # When the owner published it as an ECS community image; NULL: not published.
    Column("published_at", DateTime, nullable=True),
    # ImageNameAlreadyExist is per owner, region and product; the database is the referee.
    UniqueConstraint("account_id", "region_id", "product", "name", name="uq_images_owner_name"),
)

image_tags = Table(
    "image_tags",
    metadata,
    Column("image_id", String(32), ForeignKey("images.id"), primary_key=True),
    Column("key", String(128), primary_key=True),
    Column("value", String(256), nullable=False),
)

image_shares = Table(
    "image_shares",
    metadata,
    Column("image_id", String(32), ForeignKey("images.id"), primary_key=True),
    Column("account_id", BigInteger, ForeignKey("accounts.id"), primary_key=True),
    Column("shared_at", DateTime, nullable=False),
    # "What is shared with me" is the recipient-side lookup.
    Index("ix_image_shares_account_id", "account_id"),
    sqlite_with_rowid=False,
)

# --- imageshare's own bookkeeping, not emulated state ---------------------------------------

# Named snapshots of the whole state (docs/admin.md). Kept in the database so every server
# process sees them; never part of an export, a reset or a restore itself.
imageshare_snapshots = Table(
    "imageshare_snapshots",
    metadata,
    Column("name", String(128), primary_key=True),
    Column("schema_revision", String(32), nullable=False),
    Column("created_at", DateTime, nullable=False),
    # The export document (docs/admin.md), as compact JSON text.
    Column("payload", Text, nullable=False),
)

# The audit trail (ActionTrail's event history, docs/actiontrail.md): one row per API call of
# an authenticated caller, the event itself as JSON beside the columns LookupEvents filters on.
# No foreign key: an account's events outlive nothing, but they need no account to be read.
trail_events = Table(
    "trail_events",
    metadata,
    # One B-tree on SQLite (WITHOUT ROWID): an event per read is written, so each costs one
    # insert; LookupEvents reads one account's events in time order, the key's own order.
    Column("account_id", BigInteger, primary_key=True, autoincrement=False),
    Column("event_time", DateTime, primary_key=True),
    Column("event_id", String(64), primary_key=True),  # the call's RequestId
    Column("event_name", String(128), nullable=False),
    Column("event_rw", String(8), nullable=False),  # "Read" or "Write"
    Column("service_name", String(32), nullable=False),
    Column("resource_type", String(64), nullable=True),
    Column("resource_name", String(256), nullable=True),
    Column("access_key_id", String(128), nullable=False),
    Column("user_name", String(160), nullable=False),
    # The rest of the event as JSON (pipeline/audit.py: event_row, expand).
    Column("body", Text, nullable=False),
    sqlite_with_rowid=False,
)
