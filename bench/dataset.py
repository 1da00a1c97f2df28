"""The cost-growth data set: 100,000 accounts, 1,000,000 images, 5,000,000 shares.

Written straight into a migrated store, outside the API: SQLite through ``executemany`` in big
transactions, PostgreSQL through ``COPY``. Every account owns 10 SWAS images in cn-hangzhou
(the region the scenarios use, so no region filter makes the data irrelevant) and every image
is shared with 5 accounts, so every account also receives 50 shares. The data lives outside
the repository: a SQLite file under ``/tmp/imageshare-bench/`` (or ``$IMAGESHARE_BENCH_DIR``)
and a PostgreSQL schema ``imageshare_bench_1m``.

    .venv/bin/python bench/dataset.py --backend sqlite
    .venv/bin/python bench/dataset.py --backend postgres
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import click
from sqlalchemy import create_engine, text

ACCOUNTS = 100_000
IMAGES_PER_ACCOUNT = 10
SHARES_PER_IMAGE = 5
FIRST_ACCOUNT = 10**15  # 16 digits starting with 1, like every account id
PG_SCHEMA = "imageshare_bench_1m"
COMPLETE = "imageshare bench data set, complete"
_EPOCH = datetime(2025, 1, 1)
# Offsets from the owner to its images' recipients: never 0 (not the owner) and distinct, so
# each image has 5 different recipients and each account receives exactly 50 shares.
_SPREAD = 19_997


def data_dir() -> Path:
    return Path(os.environ.get("IMAGESHARE_BENCH_DIR", "/tmp/imageshare-bench"))


def sqlite_path() -> Path:
    return data_dir() / "1m.db"


def pg_dataset_url(pg_url: str) -> str:
    return f"{pg_url}?options=-csearch_path%3D{PG_SCHEMA}"


def image_id(index: int) -> str:
    return f"m-bench{index:015d}"


def account_id(index: int) -> int:
    return FIRST_ACCOUNT + index


def recipients(owner: int, image_index: int) -> list[int]:
    """The 5 account indexes an image of ``owner`` (an account index) is shared with."""
    return [
        (owner + 1 + k * _SPREAD + (image_index % IMAGES_PER_ACCOUNT) * 3) % ACCOUNTS
        for k in range(SHARES_PER_IMAGE)
    ]


def account_rows() -> Iterator[tuple[object, ...]]:
    for index in range(ACCOUNTS):
        yield (account_id(index), "china", False, _EPOCH)


def key_rows() -> Iterator[tuple[object, ...]]:
    for index in range(ACCOUNTS):
        yield (f"LTAIbench{index:015d}", account_id(index), None, "x" * 30, "Active", _EPOCH)


def image_rows() -> Iterator[tuple[object, ...]]:
    for index in range(ACCOUNTS * IMAGES_PER_ACCOUNT):
        owner = index // IMAGES_PER_ACCOUNT
        created = _EPOCH + timedelta(seconds=index * 30)
        yield (
            image_id(index),
            account_id(owner),
            "cn-hangzhou",
            "swas",
            f"img-{index}",
            "",
            "1",
            "Linux",
            40,
            0,
            False,
            created,
        )


def share_rows() -> Iterator[tuple[object, ...]]:
    for index in range(ACCOUNTS * IMAGES_PER_ACCOUNT):
        owner = index // IMAGES_PER_ACCOUNT
        shared = _EPOCH + timedelta(seconds=index * 30 + 60)
        for recipient in recipients(owner, index):
            yield (image_id(index), account_id(recipient), shared)


TABLES = (
    ("accounts", ("id", "site", "is_demo", "created_at"), account_rows),
    (
        "access_keys",
        ("id", "account_id", "user_name", "secret", "status", "created_at"),
        key_rows,
    ),
    (
        "images",
        (
            "id",
            "account_id",
            "region_id",
            "product",
            "name",
            "description",
            "status",
            "platform",
            "system_disk_size",
            "data_disk_size",
            "shared_to_ecs",
            "created_at",
        ),
        image_rows,
    ),
    ("image_shares", ("image_id", "account_id", "shared_at"), share_rows),
)


def _sqlite_loader(path: Path) -> None:
    from imageshare.store import migrate, tables
    from imageshare.store.engine import make_engine

    engine = make_engine(f"sqlite:///{path}")
    migrate.upgrade(engine)
    with engine.connect() as conn:
        raw = conn.connection.driver_connection
        assert raw is not None
        raw.execute("PRAGMA synchronous=OFF")
        raw.execute("PRAGMA cache_size=-1000000")
        for name, columns, rows in TABLES:
            table = tables.metadata.tables[name]
            # Values exactly as SQLAlchemy stores them (SQLite has no DATETIME or BOOLEAN).
            convert = [table.c[c].type.bind_processor(engine.dialect) for c in columns]
            marks = ", ".join("?" * len(columns))
            sql = f"INSERT INTO {name} ({', '.join(columns)}) VALUES ({marks})"
            raw.execute("BEGIN")
            batch: list[tuple[object, ...]] = []
            for row in rows():
                batch.append(tuple(f(v) if f else v for f, v in zip(convert, row, strict=True)))
                if len(batch) == 50_000:
                    raw.executemany(sql, batch)
                    batch.clear()
            raw.executemany(sql, batch)
            raw.execute("COMMIT")
            click.echo(f"  {name}: done")
    engine.dispose()


def _postgres_loader(pg_url: str) -> None:
    from imageshare.store import migrate
    from imageshare.store.engine import make_engine

    admin = create_engine(pg_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{PG_SCHEMA}" CASCADE'))
        conn.execute(text(f'CREATE SCHEMA "{PG_SCHEMA}"'))
    engine = make_engine(pg_dataset_url(pg_url))
    migrate.upgrade(engine)
    with engine.connect() as conn:
        raw = conn.connection.driver_connection
        assert raw is not None
        with raw.cursor() as cursor:
            for name, columns, rows in TABLES:
                with cursor.copy(f"COPY {name} ({', '.join(columns)}) FROM STDIN") as copy:
                    for row in rows():
                        copy.write_row(row)
                click.echo(f"  {name}: done")
        raw.commit()
    engine.dispose()
    with admin.connect() as conn:
        # autovacuum would soon do this on its own; the figures should not depend on when.
        conn.execute(text(f'ANALYZE "{PG_SCHEMA}".images, "{PG_SCHEMA}".image_shares'))
        conn.execute(text(f"COMMENT ON SCHEMA \"{PG_SCHEMA}\" IS '{COMPLETE}'"))
    admin.dispose()


def existing_url(backend: str, pg_url: str) -> str | None:
    """The data set's database URL if it was generated completely, else None."""
    if backend == "sqlite":
        path = sqlite_path()
        done = path.with_suffix(".complete").exists()
        return f"sqlite:///{path}" if done else None
    admin = create_engine(pg_url)
    try:
        with admin.connect() as conn:
            query = text(
                "SELECT obj_description(oid, 'pg_namespace') FROM pg_namespace "
                "WHERE nspname = :schema"
            )
            comment = conn.execute(query, {"schema": PG_SCHEMA}).scalar()
    finally:
        admin.dispose()
    return pg_dataset_url(pg_url) if comment == COMPLETE else None


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--backend", type=click.Choice(("sqlite", "postgres")), required=True)
@click.option(
    "--pg-url",
    default=os.environ.get(
        "IMAGESHARE_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
    ),
    show_default=True,
)
@click.option("--force", is_flag=True, help="Generate again even if the data set exists.")
def main(backend: str, pg_url: str, force: bool) -> None:
    """Generate the 1,000,000-image data set (replacing an incomplete one)."""
    if existing_url(backend, pg_url) and not force:
        click.echo(f"the {backend} data set exists; --force generates it again")
        return
    started = time.monotonic()
    if backend == "sqlite":
        path = sqlite_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        for stale in (path, path.with_suffix(".complete"), *path.parent.glob("1m.db-*")):
            stale.unlink(missing_ok=True)
        _sqlite_loader(path)
        path.with_suffix(".complete").write_text(COMPLETE + "\n")
    else:
        _postgres_loader(pg_url)
    minutes = (time.monotonic() - started) / 60
    click.echo(f"{backend} data set ready in {minutes:.1f} min: {existing_url(backend, pg_url)}")


if __name__ == "__main__":
    main()
