"""Named state snapshots, saved and restored through the admin endpoints and CLI.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"


def upgrade() -> None:
    op.create_table(
        "imageshare_snapshots",
        sa.Column("name", sa.String(128), nullable=False),
        sa.Column("schema_revision", sa.String(32), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )
