"""The audit trail: ActionTrail events, one per API call of an authenticated caller.

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"


def upgrade() -> None:
    op.create_table(
        "trail_events",
        sa.Column("account_id", sa.BigInteger(), nullable=False, autoincrement=False),
        sa.Column("event_time", sa.DateTime(), nullable=False),
        sa.Column("event_id", sa.String(64), nullable=False),
        sa.Column("event_name", sa.String(128), nullable=False),
        sa.Column("event_rw", sa.String(8), nullable=False),
        sa.Column("service_name", sa.String(32), nullable=False),
        sa.Column("resource_type", sa.String(64), nullable=True),
        sa.Column("resource_name", sa.String(256), nullable=True),
        sa.Column("access_key_id", sa.String(128), nullable=False),
        sa.Column("user_name", sa.String(160), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("account_id", "event_time", "event_id"),
        sqlite_with_rowid=False,
    )


def downgrade() -> None:
    op.drop_table("trail_events")
