"""Elastic Desktop Service desktops; the image columns ECD needs (encryption, copies, edits).

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"


def upgrade() -> None:
    _desktops()
    _image_columns()


def _desktops() -> None:
    op.create_table(
        "ecd_desktops",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("account_id", sa.BigInteger(), sa.ForeignKey("accounts.id"), nullable=False),
        sa.Column("region_id", sa.String(32), nullable=False),
        sa.Column("os_type", sa.String(16), nullable=False),
        sa.Column("encryption_key_id", sa.String(64), nullable=True),
        sa.Column("system_disk_size", sa.Integer(), nullable=False),
        sa.Column("data_disk_size", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_ecd_desktops_account_region", "ecd_desktops", ["account_id", "region_id"])


def _image_columns() -> None:
    # Nullable, so existing (SWAS) rows need no backfill and SQLite can add them in place.
    op.add_column("images", sa.Column("encryption_key_id", sa.String(64), nullable=True))
    op.add_column("images", sa.Column("ready_at", sa.DateTime(), nullable=True))
    op.add_column("images", sa.Column("updated_at", sa.DateTime(), nullable=True))
