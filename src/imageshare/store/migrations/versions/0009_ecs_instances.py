"""ECS instances, their disks and snapshots.

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"


def upgrade() -> None:
    op.create_table(
        "ecs_instances",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("account_id", sa.BigInteger(), sa.ForeignKey("accounts.id"), nullable=False),
        sa.Column("region_id", sa.String(32), nullable=False),
        sa.Column("zone_id", sa.String(32), nullable=False),
        sa.Column("name", sa.String(128), nullable=False),
        sa.Column("instance_type", sa.String(64), nullable=False),
        sa.Column("image_id", sa.String(64), nullable=False),
        sa.Column("os_type", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_ecs_instances_account_region", "ecs_instances", ["account_id", "region_id"])
    op.create_table(
        "ecs_disks",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("account_id", sa.BigInteger(), sa.ForeignKey("accounts.id"), nullable=False),
        sa.Column("region_id", sa.String(32), nullable=False),
        sa.Column("instance_id", sa.String(32), sa.ForeignKey("ecs_instances.id"), nullable=True),
        sa.Column("disk_type", sa.String(16), nullable=False),
        sa.Column("category", sa.String(32), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("device", sa.String(32), nullable=False),
        sa.Column("image_id", sa.String(64), nullable=True),
        sa.Column("source_snapshot_id", sa.String(32), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_ecs_disks_instance_id", "ecs_disks", ["instance_id"])
    op.create_table(
        "ecs_snapshots",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("account_id", sa.BigInteger(), sa.ForeignKey("accounts.id"), nullable=False),
        sa.Column("region_id", sa.String(32), nullable=False),
        sa.Column("disk_id", sa.String(32), nullable=False),
        sa.Column("instance_id", sa.String(32), nullable=True),
        sa.Column("name", sa.String(128), nullable=False),
        sa.Column("description", sa.String(256), nullable=False),
        sa.Column("source_disk_type", sa.String(16), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("image_id", sa.String(64), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_ecs_snapshots_disk_id", "ecs_snapshots", ["disk_id"])
    op.create_index("ix_ecs_snapshots_account_region", "ecs_snapshots", ["account_id", "region_id"])
