"""Fault rules (docs/testing.md, "Faults"): injected errors, delays, timeouts and failed
operations, kept in the database so every server on it applies them.

Revision ID: 0012
Revises: 0011
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"


def upgrade() -> None:
    op.create_table(
        "fault_rules",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("product", sa.String(32), nullable=False),
        sa.Column("action", sa.String(128), nullable=False),
        sa.Column("effect", sa.String(16), nullable=False),
        sa.Column("account_id", sa.BigInteger(), nullable=True),
        sa.Column("region", sa.String(64), nullable=True),
        sa.Column("code", sa.String(128), nullable=True),
        sa.Column("http_status", sa.Integer(), nullable=True),
        sa.Column("message", sa.Text(), nullable=True),
        sa.Column("delay_ms", sa.Integer(), nullable=False),
        sa.Column("remaining", sa.Integer(), nullable=True),
        sa.Column("per_million", sa.Integer(), nullable=False),
        sa.Column("seed", sa.BigInteger(), nullable=False),
        sa.Column("seen", sa.Integer(), nullable=False),
        sa.Column("fired", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_fault_rules_product", "fault_rules", ["product"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_fault_rules_product", table_name="fault_rules")
    op.drop_table("fault_rules")
