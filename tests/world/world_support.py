"""Helpers for the world-file tests (no tests here): the documented example world, fresh
databases per backend, row counts of every table, and SDK clients for a loaded world."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alibabacloud_tea_openapi.models import Config
from sqlalchemy import func, select
from support.databases import migrated_database_url

from imageshare.domain.times import utcnow
from imageshare.store.database import Store
from imageshare.store.engine import make_engine
from imageshare.store.tables import metadata
from imageshare.world import LoadedWorld, load_world, parse_world

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs" / "world-files.md"
SWAS_SHARE_LIMIT = 10


def docs_world() -> str:
    """The YAML of docs/world-files.md's "A complete example": the tests load exactly it."""
    text = DOCS.read_text()
    section = text.split("## A complete example", 1)[1]
    found = re.search(r"```yaml\n(.+?)```", section, re.DOTALL)
    assert found, "docs/world-files.md lost its complete example"
    return found.group(1)


@contextmanager
def fresh_store(backend: str, tmp_dir: str) -> Iterator[Store]:
    """A migrated, empty database of its own."""
    with migrated_database_url(backend, tmp_dir) as url:
        store = Store(make_engine(url))
        try:
            yield store
        finally:
            store.dispose()


def load_text(store: Store, text: str, source: str = "world.yaml") -> LoadedWorld:
    """Parse and load ``text``, as ``imageshare world load`` does."""
    now = utcnow()
    return load_world(store, parse_world(text, source), now=now, swas_share_limit=SWAS_SHARE_LIMIT)


def row_counts(store: Store) -> dict[str, int]:
    """Rows in every table of the schema, by table name."""
    with store.transaction() as conn:
        return {
            table.name: int(conn.execute(select(func.count()).select_from(table)).scalar_one())
            for table in metadata.sorted_tables
        }


def line_of(text: str, needle: str) -> int:
    """The 1-based line of the first line of ``text`` containing ``needle``."""
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} is not in the text")


def sdk_config(endpoint: str, key_id: str, secret: str, region: str = "cn-hangzhou") -> Config:
    return Config(
        access_key_id=key_id,
        access_key_secret=secret,
        endpoint=endpoint,
        protocol="http",
        region_id=region,
    )
