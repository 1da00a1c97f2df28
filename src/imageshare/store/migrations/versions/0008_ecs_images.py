"""The image columns ECS needs: architecture, platform name, family, boot mode, copies and
community publication.

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"


def upgrade() -> None:
    # Nullable, so existing rows need no backfill and SQLite adds them in place.
    op.add_column("images", sa.Column("architecture", sa.String(16), nullable=True))
    op.add_column("images", sa.Column("os_name", sa.String(64), nullable=True))
    op.add_column("images", sa.Column("image_family", sa.String(128), nullable=True))
    op.add_column("images", sa.Column("boot_mode", sa.String(16), nullable=True))
    op.add_column("images", sa.Column("copied_from", sa.String(64), nullable=True))
    op.add_column("images", sa.Column("published_at", sa.DateTime(), nullable=True))
