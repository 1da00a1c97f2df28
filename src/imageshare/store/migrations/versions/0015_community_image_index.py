"""A partial index of each region's community images (published_at set): ECS DescribeImages
lists them for every caller, and without the index read the whole region to find them.

Revision ID: 0015
Revises: 0014
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"


def upgrade() -> None:
    published = sa.text("published_at IS NOT NULL")
    op.create_index(
        "ix_images_community",
        "images",
        ["region_id"],
        sqlite_where=published,
        postgresql_where=published,
    )


def downgrade() -> None:
    op.drop_index("ix_images_community", table_name="images")
