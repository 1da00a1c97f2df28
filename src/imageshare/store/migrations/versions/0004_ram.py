"""RAM users, groups, custom policies and their versions, roles, and policy attachments.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"


def _account() -> sa.Column[int]:
    return sa.Column("account_id", sa.BigInteger(), sa.ForeignKey("accounts.id"), nullable=False)


def _stamps() -> list[sa.Column[object]]:
    return [
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
    ]


def upgrade() -> None:
    _identities()
    _policies()


def _identities() -> None:
    op.create_table(
        "ram_users",
        sa.Column("id", sa.String(32), nullable=False),
        _account(),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("display_name", sa.String(128), nullable=False),
        sa.Column("comments", sa.String(128), nullable=False),
        sa.Column("email", sa.String(128), nullable=False),
        sa.Column("mobile_phone", sa.String(32), nullable=False),
        *_stamps(),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("account_id", "name", name="uq_ram_users_name"),
    )
    op.create_table(
        "ram_groups",
        sa.Column("id", sa.String(32), nullable=False),
        _account(),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("comments", sa.String(128), nullable=False),
        *_stamps(),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("account_id", "name", name="uq_ram_groups_name"),
    )
    op.create_table(
        "ram_group_members",
        sa.Column("group_id", sa.String(32), sa.ForeignKey("ram_groups.id"), nullable=False),
        sa.Column("user_id", sa.String(32), sa.ForeignKey("ram_users.id"), nullable=False),
        sa.Column("joined_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("group_id", "user_id"),
    )
    op.create_index("ix_ram_group_members_user_id", "ram_group_members", ["user_id"])
    op.create_table(
        "ram_roles",
        sa.Column("id", sa.String(32), nullable=False),
        _account(),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("description", sa.String(1024), nullable=False),
        sa.Column("trust_policy", sa.Text(), nullable=False),
        sa.Column("max_session_duration", sa.Integer(), nullable=False),
        *_stamps(),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("account_id", "name", name="uq_ram_roles_name"),
    )


def _policies() -> None:
    op.create_table(
        "ram_policies",
        _account(),
        sa.Column("name", sa.String(128), nullable=False),
        sa.Column("description", sa.String(1024), nullable=False),
        sa.Column("default_version", sa.String(16), nullable=False),
        sa.Column("next_version", sa.Integer(), nullable=False),
        *_stamps(),
        sa.PrimaryKeyConstraint("account_id", "name"),
    )
    op.create_table(
        "ram_policy_versions",
        sa.Column("account_id", sa.BigInteger(), nullable=False),
        sa.Column("policy_name", sa.String(128), nullable=False),
        sa.Column("version_id", sa.String(16), nullable=False),
        sa.Column("document", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("account_id", "policy_name", "version_id"),
    )
    op.create_table(
        "ram_attachments",
        _account(),
        sa.Column("principal_kind", sa.String(8), nullable=False),
        sa.Column("principal_id", sa.String(32), nullable=False),
        sa.Column("policy_type", sa.String(8), nullable=False),
        sa.Column("policy_name", sa.String(128), nullable=False),
        sa.Column("attached_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("principal_kind", "principal_id", "policy_type", "policy_name"),
    )
    op.create_index(
        "ix_ram_attachments_policy",
        "ram_attachments",
        ["account_id", "policy_type", "policy_name"],
    )
