"""SWAS instances, disks and snapshots; custom images, their tags and their shares.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"


def upgrade() -> None:
    _swas_resources()
    _images()


def _swas_resources() -> None:
    op.create_table(
        "swas_instances",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("account_id", sa.BigInteger(), sa.ForeignKey("accounts.id"), nullable=False),
        sa.Column("region_id", sa.String(32), nullable=False),
        sa.Column("name", sa.String(128), nullable=False),
        sa.Column("plan_id", sa.String(64), nullable=False),
        sa.Column("image_id", sa.String(64), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_swas_instances_account_region", "swas_instances", ["account_id", "region_id"]
    )
    op.create_table(
        "swas_disks",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("account_id", sa.BigInteger(), sa.ForeignKey("accounts.id"), nullable=False),
        sa.Column("region_id", sa.String(32), nullable=False),
        sa.Column("instance_id", sa.String(32), sa.ForeignKey("swas_instances.id"), nullable=False),
        sa.Column("disk_type", sa.String(16), nullable=False),
        sa.Column("category", sa.String(32), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("device", sa.String(32), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_swas_disks_instance_id", "swas_disks", ["instance_id"])
    op.create_index("ix_swas_disks_account_region", "swas_disks", ["account_id", "region_id"])
    op.create_table(
        "swas_snapshots",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("account_id", sa.BigInteger(), sa.ForeignKey("accounts.id"), nullable=False),
        sa.Column("region_id", sa.String(32), nullable=False),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("disk_id", sa.String(32), sa.ForeignKey("swas_disks.id"), nullable=False),
        sa.Column("instance_id", sa.String(32), nullable=False),
        sa.Column("source_disk_type", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_swas_snapshots_disk_id", "swas_snapshots", ["disk_id"])
    op.create_index(
        "ix_swas_snapshots_account_region", "swas_snapshots", ["account_id", "region_id"]
    )


def _images() -> None:
    op.create_table(
        "images",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("account_id", sa.BigInteger(), sa.ForeignKey("accounts.id"), nullable=False),
        sa.Column("region_id", sa.String(32), nullable=False),
        sa.Column("product", sa.String(16), nullable=False),
        sa.Column("name", sa.String(128), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("platform", sa.String(16), nullable=False),
        sa.Column("source_instance_id", sa.String(64), nullable=True),
        sa.Column("system_snapshot_id", sa.String(32), nullable=True),
        sa.Column("data_snapshot_id", sa.String(32), nullable=True),
        sa.Column("system_disk_size", sa.Integer(), nullable=False),
        sa.Column("data_disk_size", sa.Integer(), nullable=False),
        sa.Column("resource_group_id", sa.String(64), nullable=True),
        sa.Column("shared_to_ecs", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint(
            "account_id", "region_id", "product", "name", name="uq_images_owner_name"
        ),
    )
    op.create_table(
        "image_tags",
        sa.Column("image_id", sa.String(32), sa.ForeignKey("images.id"), nullable=False),
        sa.Column("key", sa.String(128), nullable=False),
        sa.Column("value", sa.String(256), nullable=False),
        sa.PrimaryKeyConstraint("image_id", "key"),
    )
    op.create_table(
        "image_shares",
        sa.Column("image_id", sa.String(32), sa.ForeignKey("images.id"), nullable=False),
        sa.Column("account_id", sa.BigInteger(), sa.ForeignKey("accounts.id"), nullable=False),
        sa.Column("shared_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("image_id", "account_id"),
    )
    op.create_index("ix_image_shares_account_id", "image_shares", ["account_id"])
