"""One contract for every backend: the same tests on SQLite and on PostgreSQL."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, MetaData, inspect, text
from support.databases import database_url, migrated_database_url

from imageshare.domain.images import Image
from imageshare.domain.paging import Page
from imageshare.domain.swas import Instance
from imageshare.services.accounts import AdminError, create_account, create_key, set_key_status
from imageshare.store import migrate, visibility
from imageshare.store import request_postgres as nonces
from imageshare.store.database import Store
from imageshare.store.engine import make_engine
from imageshare.store.images import ImageFilter
from imageshare.store.ledger import period_for
from imageshare.store.statement import Db, Statement
from imageshare.store.tables import metadata, signature_nonces

NOW = datetime(2026, 11, 23, 12, 0, 0)


@pytest.fixture
def store(backend: str, tmp_path: Path) -> Iterator[Store]:
    with migrated_database_url(backend, str(tmp_path)) as url:
        engine = make_engine(url)
        yield Store(engine)
        engine.dispose()


def test_migrations_reach_head_and_match_the_tables(store: Store) -> None:
    assert migrate.current_revision(store.engine) == migrate.head_revision(store.engine)
    assert migrate.upgrade(store.engine)[0] == migrate.head_revision(store.engine)
    expected = MetaData()
    for table in metadata.tables.values():
        table.to_metadata(expected)
    if not store.single_writer:  # PostgreSQL keeps its nonces in the schema
        signature_nonces.to_metadata(expected)
    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), expected)
    assert diff == []


def test_account_and_keys_round_trip(store: Store) -> None:
    with store.unit_of_work(write=True) as uow:
        account, first = create_account(uow, site="international", now=NOW)
        second = create_key(uow, account_id=account.id, now=NOW + timedelta(seconds=1))
        uow.commit()
    with store.unit_of_work() as uow:
        assert uow.accounts.get(account.id) == account
        assert [k.id for k in uow.access_keys.for_account(account.id)] == [first.id, second.id]
        assert uow.access_keys.get(first.id) == first
    assert str(account.id).startswith("1") and len(str(account.id)) == 16


def test_uncommitted_work_is_rolled_back(store: Store) -> None:
    with store.unit_of_work(write=True) as uow:
        account, _ = create_account(uow, site="china", now=NOW)
    with store.unit_of_work() as uow:
        assert uow.accounts.get(account.id) is None


def test_a_read_unit_of_work_refuses_to_commit_a_write_on_sqlite(tmp_path: Path) -> None:
    """The pipeline runs actions not marked ``mutating`` in a read transaction; one that
    wrote would take SQLite's write lock halfway (and fail under load), so it fails always.
    (SQLite only: PostgreSQL has no single writer to protect.)"""
    engine = make_engine(f"sqlite:///{tmp_path}/guard.db")
    migrate.upgrade(engine)
    store = Store(engine)
    with pytest.raises(RuntimeError, match="write=True"), store.unit_of_work() as uow:
        create_account(uow, site="china", now=NOW)
        uow.commit()
    with store.unit_of_work() as uow:
        assert uow.accounts.list() == []
    engine.dispose()


def test_units_of_work_share_one_connection_one_after_another(store: Store) -> None:
    with store.connect() as conn:
        with store.unit_of_work(write=True, connection=conn) as uow:
            account, _ = create_account(uow, site="china", now=NOW)
            uow.commit()
        with store.unit_of_work(connection=conn) as uow:
            assert uow.accounts.get(account.id) == account
        assert not conn.closed


def test_key_status_and_unknown_keys(store: Store) -> None:
    with store.unit_of_work(write=True) as uow:
        _, key = create_account(uow, site="china", now=NOW)
        set_key_status(uow, key.id, active=False)
        uow.commit()
    with store.unit_of_work(write=True) as uow:
        found = uow.access_keys.get(key.id)
        assert found is not None and not found.active
        with pytest.raises(AdminError, match="does not exist"):
            set_key_status(uow, "LTAInope", active=True)
        with pytest.raises(AdminError, match="unknown site"):
            create_account(uow, site="mars", now=NOW)


def _claim(store: Store, key: str, nonce: str, at: datetime) -> bool:
    """Where the pipeline claims: SQLite's ledger file, PostgreSQL's table in a transaction."""
    if store.single_writer:
        return store.nonce_ledger(period_for(timedelta(minutes=15))).claim(key, nonce, at)
    with store.unit_of_work(write=True) as uow:
        claimed = bool(nonces.CLAIM.rows(uow.db, _nonce_row(key, nonce, at)))
        uow.commit()
    return claimed


def _nonce_row(key: str, nonce: str, at: datetime) -> dict[str, object]:
    return {"access_key_id": key, "nonce": nonce, "created_at": at}


def test_a_nonce_is_claimed_once_per_key_until_it_cannot_be_replayed(store: Store) -> None:
    assert _claim(store, "LTAIa", "n-1", NOW)
    assert not _claim(store, "LTAIa", "n-1", NOW + timedelta(minutes=30))
    assert _claim(store, "LTAIb", "n-1", NOW)
    if not store.single_writer:  # PostgreSQL forgets by age, every thousandth request
        with store.unit_of_work(write=True) as uow:
            cutoff = {"cutoff": NOW + timedelta(seconds=1)}
            assert nonces.FORGET_BEFORE.run(uow.db, cutoff) == 2
            uow.commit()
    assert _claim(store, "LTAIa", "n-1", NOW + timedelta(hours=2))
    store.dispose()


def test_idempotency_claim_then_replay(store: Store) -> None:
    with store.unit_of_work(write=True) as uow:
        assert uow.idempotency.claim(1, "swas-open:X", "tok", "h1", NOW) is None
        uow.idempotency.complete(1, "swas-open:X", "tok", '{"ImageId":"m-1"}')
        uow.commit()
    with store.unit_of_work(write=True) as uow:
        earlier = uow.idempotency.claim(1, "swas-open:X", "tok", "h2", NOW)
        assert earlier is not None
        assert (earlier.params_hash, earlier.response) == ("h1", '{"ImageId":"m-1"}')
        # Scoped to the account and the action.
        assert uow.idempotency.claim(2, "swas-open:X", "tok", "h1", NOW) is None
        assert uow.idempotency.claim(1, "swas-open:Y", "tok", "h1", NOW) is None


def _image(image_id: str, owner: int, name: str) -> Image:
    return Image(
        id=image_id,
        account_id=owner,
        region_id="cn-hangzhou",
        product="swas",
        name=name,
        description="",
        status="Available",
        platform="Linux",
        source_instance_id=None,
        system_snapshot_id=None,
        data_snapshot_id=None,
        system_disk_size=40,
        data_disk_size=0,
        resource_group_id=None,
        shared_to_ecs=False,
        created_at=NOW,
    )


def test_image_name_unique_per_owner_region_product(store: Store) -> None:
    with store.unit_of_work(write=True) as uow:
        account, _ = create_account(uow, site="china", now=NOW)
        assert uow.images.add(_image("m-aaaaaaaaaaaaaaaaaaaa", account.id, "golden"), [])
        # The race a name check cannot see: the unique index refuses, the transaction survives.
        assert not uow.images.add(_image("m-bbbbbbbbbbbbbbbbbbbb", account.id, "golden"), [])
        assert uow.images.add(_image("m-cccccccccccccccccccc", account.id, "silver"), [("k", "v")])
        uow.commit()
    with store.unit_of_work() as uow:
        assert uow.images.count(account.id, "cn-hangzhou", "swas") == 2


def test_the_prepared_image_statement_reads_every_column() -> None:
    from imageshare.domain.images import Image
    from imageshare.store.image_statements import IMAGE_FIELDS
    from imageshare.store.tables import images

    assert set(IMAGE_FIELDS) == set(Image.__dataclass_fields__) == set(images.c.keys())


def test_migration_0006_keeps_every_row_and_drops_the_rowid_on_sqlite(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path}/rowid.db")
    command.upgrade(migrate._config(engine), "0005")
    with engine.begin() as conn:
        conn.execute(
            text("INSERT INTO signature_nonces VALUES ('LTAIkey', 'n-1', '2026-11-23 12:00:00')")
        )
    command.upgrade(migrate._config(engine), "0006")
    with engine.connect() as conn:
        nonces = conn.execute(text("SELECT access_key_id, nonce FROM signature_nonces")).all()
        tables = conn.execute(
            text(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE '%WITHOUT ROWID'"
            )
        ).scalars()
        names = sorted(tables)
    assert nonces == [("LTAIkey", "n-1")]
    assert names == ["idempotency_records", "image_shares", "signature_nonces"]
    engine.dispose()


def test_migration_0007_moves_sqlite_nonces_out_of_the_main_file(
    backend: str, tmp_path: Path
) -> None:
    with database_url(backend, str(tmp_path)) as url:
        engine = make_engine(url)
        command.upgrade(migrate._config(engine), "0006")
        with engine.begin() as conn:
            conn.execute(
                text("INSERT INTO accounts VALUES (1000000000000001, 'china', false, :at)"),
                {"at": NOW},
            )
        migrate.upgrade(engine)
        tables = set(inspect(engine).get_table_names())
        with engine.connect() as conn:
            accounts = conn.execute(text("SELECT id FROM accounts")).scalars().all()
        engine.dispose()
    assert ("signature_nonces" in tables) is (backend == "postgres")
    assert accounts == [1000000000000001]


def test_connections_are_kept_per_thread_and_closed_by_dispose(store: Store) -> None:
    engine = store.engine
    with store.connect() as first:
        pass
    with store.connect() as again:
        assert again is first  # back-to-back requests of one thread skip the pool
    seen: list[Connection] = []

    def other_thread() -> None:
        with store.connect() as conn:
            seen.append(conn)

    worker = threading.Thread(target=other_thread)
    worker.start()
    worker.join()
    assert seen and seen[0] is not first
    with store.connect() as busy:
        busy.begin()  # left open: such a connection is not kept
    assert busy.closed
    store.dispose()
    assert seen[0].closed and engine.pool.status().endswith("Current Checked out connections: 0")


@pytest.mark.parametrize("shared_with_me", [None, True, False])
@pytest.mark.parametrize("page", [None, Page(1, 2), Page(2, 2)], ids=["all", "p1", "p2"])
def test_the_prepared_listing_agrees_with_the_built_one(
    store: Store, shared_with_me: bool | None, page: Page | None
) -> None:
    """The unfiltered listing takes prepared statements; any filter takes the built query.
    Both must list the same images, flags and totals."""
    with store.unit_of_work(write=True) as uow:
        (viewer, _), (owner, _) = (create_account(uow, site="china", now=NOW) for _ in "ab")
        for index, (who, name) in enumerate([(viewer, "v1"), (owner, "o1"), (owner, "o2")]):
            image = replace(
                _image(f"m-{index:020d}", who.id, name), created_at=NOW + timedelta(index)
            )
            uow.images.add(image, [])
        uow.shares.add("m-00000000000000000001", [viewer.id], NOW)
        uow.shares.add("m-00000000000000000000", [owner.id], NOW)
        where = ImageFilter(viewer.id, "cn-hangzhou", "swas", shared_with_me=shared_with_me)
        prepared = uow.images.visible(where, page)
        filtered = replace(where, names=["v1", "o1", "o2"])  # matches all: another statement
        shapes = (visibility.shape_of(where, page), visibility.shape_of(filtered, page))
        assert visibility.listing(shapes[0]) is not visibility.listing(shapes[1])
        built = uow.images.visible(filtered, page)
    assert prepared == built
    expected = {None: 2, True: 1, False: 1}[shared_with_me]
    assert prepared[0] == expected and all(
        v.owned == (v.image.account_id == viewer.id) for v in prepared[1]
    )


@pytest.mark.parametrize("shared_with_me", [None, True])
def test_postgresql_looks_up_by_key_what_the_portable_query_lists(
    tmp_path: Path, shared_with_me: bool | None
) -> None:
    """PostgreSQL's form of the visibility query (the ids the viewer sees, each image looked
    up by key) lists the same images, flags and order as the ``id IN (...)`` form SQLite
    runs, with every kind of filter."""
    with migrated_database_url("postgres", str(tmp_path)) as url:
        engine = make_engine(url)
        store = Store(engine)
        with store.unit_of_work(write=True) as uow:
            (viewer, _), (owner, _) = (create_account(uow, site="china", now=NOW) for _ in "ab")
            for index, who in enumerate([viewer, owner, owner, owner, viewer]):
                image_id, made = f"m-{index:020d}", NOW + timedelta(hours=index)
                image = replace(_image(image_id, who.id, f"i{index}"), created_at=made)
                uow.images.add(image, [("team", "a" if index % 2 else "b")])
            uow.shares.add("m-00000000000000000001", [viewer.id], NOW)
            uow.shares.add("m-00000000000000000002", [viewer.id], NOW)
            uow.shares.add("m-00000000000000000000", [owner.id], NOW)
            uow.commit()
        where = ImageFilter(viewer.id, "cn-hangzhou", "swas", shared_with_me=shared_with_me)
        filters = [
            replace(where, names=["i0", "i1", "i2"]),
            replace(where, image_ids=["m-00000000000000000002", "m-00000000000000000004"]),
            replace(where, status="Available", now=NOW),
            replace(where, platform="Linux"),
            replace(where, after=(NOW + timedelta(hours=1), "m-00000000000000000001")),
            replace(where, tags=(("team", "b"),)),
        ]
        listed = []
        with store.unit_of_work() as uow:
            for chosen in filters:
                listing = visibility.listing(visibility.shape_of(chosen, None))
                params = visibility.params_of(chosen, None)
                portable = listing.page.rows(uow.db, params)
                by_key = [row[:-1] for row in listing.counted.rows(uow.db, params)]
                assert portable == by_key
                listed.append(len(portable))
        engine.dispose()
    assert sum(listed) > len(filters)  # the filters found images: the comparison was not empty


@pytest.mark.parametrize("shares", [0, 1, 4, 5])
def test_a_share_page_counts_every_share_wherever_it_starts(store: Store, shares: int) -> None:
    """Every page, the one past the end too, counts all of the image's shares (and no other
    image's); rows oldest share first, ties by account."""
    with store.unit_of_work(write=True) as uow:
        owner, _ = create_account(uow, site="china", now=NOW)
        accounts = sorted(create_account(uow, site="china", now=NOW)[0].id for _ in range(shares))
        assert uow.images.add(_image("m-shared", owner.id, "shared"), [])
        uow.images.add(_image("m-other", owner.id, "other"), [])
        uow.shares.add("m-other", accounts[:1], NOW)  # another image's share is not counted
        for age, account_id in enumerate(reversed(accounts)):
            uow.shares.add("m-shared", [account_id], NOW + timedelta(seconds=age // 2))
        pages = [uow.shares.page("m-shared", Page(number, 2)) for number in (1, 2, 3, 4)]
        uow.commit()
    expected = sorted(
        (
            (account_id, NOW + timedelta(seconds=age // 2))
            for age, account_id in enumerate(reversed(accounts))
        ),
        key=lambda row: (row[1], row[0]),
    )
    for number, (total, rows) in enumerate(pages, start=1):
        assert total == shares
        assert rows == expected[(number - 1) * 2 : number * 2]


@pytest.mark.parametrize("lock", [False, True], ids=["plain", "locked"])
def test_owns_agrees_with_owned(store: Store, lock: bool) -> None:
    """The one-column ownership check answers as reading the image would, for the owner and
    for every way of not being it (another account, region or product, no such image)."""
    with store.unit_of_work(write=True) as uow:
        owner, _ = create_account(uow, site="china", now=NOW)
        other, _ = create_account(uow, site="china", now=NOW)
        assert uow.images.add(_image("m-mine", owner.id, "mine"), [])
        asks = [
            (owner.id, "cn-hangzhou", "swas", "m-mine"),
            (other.id, "cn-hangzhou", "swas", "m-mine"),
            (owner.id, "cn-beijing", "swas", "m-mine"),
            (owner.id, "cn-hangzhou", "ecd", "m-mine"),
            (owner.id, "cn-hangzhou", "swas", "m-none"),
        ]
        owns = [uow.images.owns(*ask, lock=lock) for ask in asks]
        owned = [uow.images.owned(*ask, lock=lock) is not None for ask in asks]
        uow.commit()
    assert owns == owned == [True, False, False, False, False]


def test_postgresql_reads_a_page_and_its_total_in_one_statement(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A round trip fewer on PostgreSQL (COUNT(*) OVER ()); the count alone only for a page
    past the end, which has no row to carry it. SQLite counts, then reads the page."""
    with store.unit_of_work(write=True) as uow:
        owner, _ = create_account(uow, site="china", now=NOW)
        assert uow.images.add(_image("m-shared", owner.id, "shared"), [])
        accounts = [create_account(uow, site="china", now=NOW)[0].id for _ in range(3)]
        uow.shares.add("m-shared", accounts, NOW)
        uow.commit()
    ran: list[Statement] = []
    run = Statement.rows

    def counted(self: Statement, db: Db, params: dict[str, object]) -> object:
        ran.append(self)
        return run(self, db, params)

    monkeypatch.setattr(Statement, "rows", counted)
    statements = []
    with store.unit_of_work() as uow:
        for number in (1, 3):
            ran.clear()
            total, rows = uow.shares.page("m-shared", Page(number, 2))
            statements.append((total, len(rows), len(ran)))
    one_statement = 1 if store.engine.dialect.name == "postgresql" else 2
    assert statements == [(3, 2, one_statement), (3, 0, 2)]


@pytest.mark.parametrize("size", [0, 1, 3, 17], ids=lambda n: f"{n}-images")
def test_tags_and_instances_per_image_for_any_page_length(store: Store, size: int) -> None:
    """Each page length has its own prepared statement: every length finds every image's
    tags (by key) and the instances made from it (oldest first), and nothing of others."""
    with store.unit_of_work(write=True) as uow:
        account, _ = create_account(uow, site="china", now=NOW)
        ids = [f"m-{index:020d}" for index in range(size + 1)]  # the last one is not asked for
        for index, image_id in enumerate(ids):
            tags = [("b", str(index)), ("a", image_id)] if index % 2 == 0 else []
            assert uow.images.add(_image(image_id, account.id, f"image-{index}"), tags)
            for made in range(index % 3):
                uow.swas_instances.add(_instance(f"{index:02d}{made}", account.id, image_id, made))
        wanted = ids[:size]
        found_tags = uow.images.tags(wanted)
        made_from = uow.swas_instances.created_from(wanted)
        uow.commit()
    assert found_tags == {i: [("a", i), ("b", str(n))] for n, i in enumerate(wanted) if n % 2 == 0}
    assert made_from == {
        i: [f"{n:02d}{m}".ljust(32, "0") for m in range(n % 3)]
        for n, i in enumerate(wanted)
        if n % 3
    }


def _instance(prefix: str, owner: int, image_id: str, age: int) -> Instance:
    return Instance(
        id=prefix.ljust(32, "0"),
        account_id=owner,
        region_id="cn-hangzhou",
        name=prefix,
        plan_id="swas.s1.c1m1s40b10",
        image_id=image_id,
        status="Running",
        created_at=NOW + timedelta(seconds=age),
        expires_at=NOW + timedelta(days=30),
    )


@pytest.mark.parametrize("number", [1, 2, 3], ids=lambda n: f"page-{n}")
def test_the_prepared_ecs_listing_equals_the_filtered_one(store: Store, number: int) -> None:
    """ECS DescribeImages without an ImageId filter runs prepared statements; with every id
    as the filter it runs the built query: the same images, order and total either way."""
    with store.unit_of_work(write=True) as uow:
        owner, _ = create_account(uow, site="china", now=NOW)
        other, _ = create_account(uow, site="china", now=NOW)
        made = []
        for index, (account, region, to_ecs) in enumerate(
            [(owner, "cn-hangzhou", True)] * 3
            + [(owner, "cn-hangzhou", False)] * 2
            + [(owner, "cn-beijing", True), (other, "cn-hangzhou", True)]
        ):
            image = replace(
                _image(f"m-{index:020d}", account.id, f"image-{index}"),
                region_id=region,
                shared_to_ecs=to_ecs,
                created_at=NOW + timedelta(seconds=index % 2),  # ties broken by id
            )
            assert uow.images.add(image, [])
            made.append(image.id)
        page = Page(number, 2)
        prepared = uow.images.in_ecs(owner.id, "cn-hangzhou", None, page)
        built = uow.images.in_ecs(owner.id, "cn-hangzhou", made, page)
        uow.commit()
    assert prepared == built
    assert prepared[0] == 3 and len(prepared[1]) == (2 if number == 1 else 1 if number == 2 else 0)
