"""Alembic environment: the engine comes from imageshare.store.migrate, never from a file."""

from __future__ import annotations

from alembic import context

from imageshare.store.tables import metadata

engine = context.config.attributes["engine"]
with engine.begin() as connection:
    context.configure(connection=connection, target_metadata=metadata)
    context.run_migrations()
