"""Fault rules (docs/testing.md, "Faults"): calls a test makes fail, slow down or time out.
State, like the resources, not bookkeeping: a reset clears them, a snapshot keeps them."""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, DateTime, Index, Integer, String, Table, Text

from imageshare.store.tables.common import metadata

# Fault rules (docs/testing.md, "Faults"; imageshare.domain.faults): state, so a reset clears
# them, a snapshot keeps them, and every server on the database applies them. ``remaining``
# and ``seen`` are counted down and up by single UPDATE statements, so "the next 2 calls" is
# exact however many workers serve them.
fault_rules = Table(
    "fault_rules",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("product", String(32), nullable=False),
    Column("action", String(128), nullable=False),  # a wire action name, or "*"
    Column("effect", String(16), nullable=False),
    Column("account_id", BigInteger, nullable=True),
    Column("region", String(64), nullable=True),
    Column("code", String(128), nullable=True),
    Column("http_status", Integer, nullable=True),
    Column("message", Text, nullable=True),
    Column("delay_ms", Integer, nullable=False),
    Column("remaining", Integer, nullable=True),  # NULL: no limit
    # The fraction of matched calls it fires on, in millionths (1,000,000: every call).
    Column("per_million", Integer, nullable=False),
    Column("seed", BigInteger, nullable=False),
    Column("seen", Integer, nullable=False),  # calls matched so far: numbers the next one
    Column("fired", Integer, nullable=False),
    Column("created_at", DateTime, nullable=False),
    # Every call looks up the rules of its product (docs/testing.md, "What a rule costs").
    Index("ix_fault_rules_product", "product"),
)
