"""Custom images of every product, their tags, and who they are shared with."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from imageshare.store.tables.common import metadata

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
# A region's community images, for every ECS DescribeImages: without it the listing's
# "published by anyone" part read every image of the region (docs/performance.md).
_published = images.c.published_at.is_not(None)
Index(
    "ix_images_community",
    images.c.region_id,
    sqlite_where=_published,
    postgresql_where=_published,
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
