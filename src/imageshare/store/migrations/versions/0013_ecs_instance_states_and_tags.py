"""ECS instances pass through Starting and Stopping (pending_status until settles_at), and
instances, disks and snapshots carry tags (ecs_resource_tags).

Revision ID: 0013
Revises: 0012
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"


def upgrade() -> None:
    # Nullable, so existing rows (settled) need no backfill and SQLite adds them in place.
    op.add_column("ecs_instances", sa.Column("pending_status", sa.String(16), nullable=True))
    op.add_column("ecs_instances", sa.Column("settles_at", sa.DateTime(), nullable=True))
    op.create_table(
        "ecs_resource_tags",
        sa.Column("resource_id", sa.String(32), nullable=False),
        sa.Column("key", sa.String(128), nullable=False),
        sa.Column("value", sa.String(128), nullable=False),
        sa.Column("resource_type", sa.String(16), nullable=False),
        sa.Column("account_id", sa.BigInteger(), sa.ForeignKey("accounts.id"), nullable=False),
        sa.Column("region_id", sa.String(32), nullable=False),
        sa.PrimaryKeyConstraint("resource_id", "key"),
    )
    op.create_index(
        "ix_ecs_resource_tags_owner",
        "ecs_resource_tags",
        ["account_id", "region_id", "resource_type"],
    )


def downgrade() -> None:
    op.drop_index("ix_ecs_resource_tags_owner", table_name="ecs_resource_tags")
    op.drop_table("ecs_resource_tags")
    op.drop_column("ecs_instances", "settles_at")
    op.drop_column("ecs_instances", "pending_status")
