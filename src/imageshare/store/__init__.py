"""Persistence: SQLAlchemy Core tables, repositories and a unit of work, on SQLite or PostgreSQL."""
