"""ECS DescribeImages must never read every image: on SQLite (which plans without statistics
the same way every time) no shape of its listing scans the images table; each kind of image
is found from an index and each row by its key (docs/performance.md, "Current figures")."""

from __future__ import annotations

import itertools
import sqlite3
from datetime import datetime
from pathlib import Path

import pytest
from support.databases import migrated_database_url

from imageshare.store.ecs_image_listing import EcsImageQuery, listing
from imageshare.store.engine import make_engine

KINDS = [
    combination for combination in itertools.product((True, False), repeat=3) if any(combination)
]
FILTERS = {
    "none": {},
    "name and status": {"name_contains": "web", "statuses": frozenset({"Available"})},
    "owner and tag": {"owner_id": 7, "tags": (("team", "a"),)},
}


def plan(database: str, sql: str, params: dict[str, object]) -> list[str]:
    values = {
        name: value.isoformat(" ") if isinstance(value, datetime) else value
        for name, value in params.items()
    }
    with sqlite3.connect(database) as connection:
        return [row[3] for row in connection.execute(f"EXPLAIN QUERY PLAN {sql}", values)]


@pytest.mark.parametrize("kinds", KINDS, ids=lambda k: "own={}-shared={}-community={}".format(*k))
@pytest.mark.parametrize("filters", FILTERS.values(), ids=FILTERS.keys())
def test_no_listing_shape_scans_the_images(
    tmp_path: Path, kinds: tuple[bool, bool, bool], filters: dict[str, object]
) -> None:
    own, shared, community = kinds
    query = EcsImageQuery(
        viewer=1, region_id="cn-hangzhou", now=datetime(2026, 12, 6), own=own, shared=shared,
        community=community, **filters,  # type: ignore[arg-type]
    )  # fmt: skip
    page, params = listing(query)
    with migrated_database_url("sqlite", str(tmp_path)) as url:
        engine = make_engine(url)
        for statement in (page.count, page.page):
            compiled = statement._plan(engine.dialect)  # the SQL the store runs
            values = {**dict(compiled.constants), **params, "limit": 10, "offset": 0}
            steps = plan(url.removeprefix("sqlite:///"), compiled.sql, values)
            scans = [step for step in steps if step.startswith("SCAN") and "image" in step]
            assert not scans, steps
        engine.dispose()
