"""ClientToken records are kept for a window (IMAGESHARE_CLIENT_TOKEN_WINDOW_SECONDS) and
pruned by age in small batches: an index on their creation time keeps each batch cheap.

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

from alembic import op

revision = "0011"
down_revision = "0010"


def upgrade() -> None:
    op.create_index(
        "ix_idempotency_records_created_at", "idempotency_records", ["created_at"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_idempotency_records_created_at", table_name="idempotency_records")
