"""Accounts, their access keys, STS credentials, and RAM: users, groups, custom policies,
roles, and what is attached to whom."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from imageshare.store.tables.common import metadata

accounts = Table(
    "accounts",
    metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=False),
    Column("site", String(16), nullable=False),
    Column("is_demo", Boolean, nullable=False, default=False),
    Column("created_at", DateTime, nullable=False),
)

access_keys = Table(
    "access_keys",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("account_id", BigInteger, ForeignKey("accounts.id"), nullable=False, index=True),
    # Set for a RAM user's key; NULL for the account's root keys.
    Column("user_name", String(64), nullable=True),
    Column("secret", String(64), nullable=False),
    Column("status", String(16), nullable=False),
    Column("created_at", DateTime, nullable=False),
)

# Temporary credentials issued by STS: the AccessKeyId starts with "STS.".
security_tokens = Table(
    "security_tokens",
    metadata,
    Column("access_key_id", String(64), primary_key=True),
    Column("account_id", BigInteger, ForeignKey("accounts.id"), nullable=False),
    Column("secret", String(64), nullable=False),
    Column("token", Text, nullable=False),
    Column("principal", Text, nullable=False),
    Column("expires_at", DateTime, nullable=False),
)

# --- RAM: users, groups, custom policies, roles, and what is attached to whom -------------
# System policies live in code (imageshare.domain.ram_system_policies), not in these tables.

ram_users = Table(
    "ram_users",
    metadata,
    Column("id", String(32), primary_key=True),  # UserId, digits like the real service's
    Column("account_id", BigInteger, ForeignKey("accounts.id"), nullable=False),
    Column("name", String(64), nullable=False),
    Column("display_name", String(128), nullable=False),
    Column("comments", String(128), nullable=False),
    Column("email", String(128), nullable=False),
    Column("mobile_phone", String(32), nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("updated_at", DateTime, nullable=False),
    UniqueConstraint("account_id", "name", name="uq_ram_users_name"),
)

ram_groups = Table(
    "ram_groups",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("account_id", BigInteger, ForeignKey("accounts.id"), nullable=False),
    Column("name", String(64), nullable=False),
    Column("comments", String(128), nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("updated_at", DateTime, nullable=False),
    UniqueConstraint("account_id", "name", name="uq_ram_groups_name"),
)

ram_group_members = Table(
    "ram_group_members",
    metadata,
    Column("group_id", String(32), ForeignKey("ram_groups.id"), primary_key=True),
    Column("user_id", String(32), ForeignKey("ram_users.id"), primary_key=True, index=True),
    Column("joined_at", DateTime, nullable=False),
)

ram_policies = Table(
    "ram_policies",
    metadata,
    Column("account_id", BigInteger, ForeignKey("accounts.id"), primary_key=True),
    Column("name", String(128), primary_key=True),
    Column("description", String(1024), nullable=False),
    Column("default_version", String(16), nullable=False),
    Column("next_version", Integer, nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("updated_at", DateTime, nullable=False),
)

ram_policy_versions = Table(
    "ram_policy_versions",
    metadata,
    Column("account_id", BigInteger, primary_key=True, autoincrement=False),
    Column("policy_name", String(128), primary_key=True),
    Column("version_id", String(16), primary_key=True),  # "v1", "v2", ...
    Column("document", Text, nullable=False),
    Column("created_at", DateTime, nullable=False),
)

ram_roles = Table(
    "ram_roles",
    metadata,
    Column("id", String(32), primary_key=True),  # RoleId
    Column("account_id", BigInteger, ForeignKey("accounts.id"), nullable=False),
    Column("name", String(64), nullable=False),
    Column("description", String(1024), nullable=False),
    Column("trust_policy", Text, nullable=False),
    Column("max_session_duration", Integer, nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("updated_at", DateTime, nullable=False),
    UniqueConstraint("account_id", "name", name="uq_ram_roles_name"),
)

# Who holds which policy: a user, a group or a role (by id), and a system or custom policy.
ram_attachments = Table(
    "ram_attachments",
    metadata,
    Column("account_id", BigInteger, ForeignKey("accounts.id"), nullable=False),
    Column("principal_kind", String(8), primary_key=True),  # "User" | "Group" | "Role"
    Column("principal_id", String(32), primary_key=True),
    Column("policy_type", String(8), primary_key=True),  # "System" | "Custom"
    Column("policy_name", String(128), primary_key=True),
    Column("attached_at", DateTime, nullable=False),
    Index("ix_ram_attachments_policy", "account_id", "policy_type", "policy_name"),
)
