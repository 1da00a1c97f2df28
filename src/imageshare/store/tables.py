"""The schema, one definition for SQLite and PostgreSQL. State is partitioned by columns
(an owner column, a shares table), never by per-account containers."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    MetaData,
    String,
    Table,
    Text,
)

metadata = MetaData()

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

signature_nonces = Table(
    "signature_nonces",
    metadata,
    Column("access_key_id", String(64), primary_key=True),
    Column("nonce", String(128), primary_key=True),
    Column("created_at", DateTime, nullable=False),
    Index("ix_signature_nonces_created_at", "created_at"),
)

idempotency_records = Table(
    "idempotency_records",
    metadata,
    Column("account_id", BigInteger, primary_key=True, autoincrement=False),
    Column("action", String(128), primary_key=True),
    Column("client_token", String(64), primary_key=True),
    Column("params_hash", String(64), nullable=False),
    # NULL while the first request holding the token is still running.
    Column("response", Text, nullable=True),
    Column("created_at", DateTime, nullable=False),
)
