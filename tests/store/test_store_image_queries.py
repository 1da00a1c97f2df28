"""One contract for every backend, for the image queries: names unique per owner, region and
product, the prepared listings against the built ones, PostgreSQL's keyed lookups and
one-statement pages, share pages, ownership, tags and instances per image (accounts, keys,
nonces, migrations and connections: test_store_contract). The same tests on SQLite and on
PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from support.databases import migrated_database_url, migrated_store

from imageshare.domain.images import Image
from imageshare.domain.paging import Page
from imageshare.domain.swas import Instance
from imageshare.services.accounts import create_account
from imageshare.store import visibility
from imageshare.store.database import Store
from imageshare.store.engine import make_engine
from imageshare.store.images import ImageFilter
from imageshare.store.statement import Db, Statement

NOW = datetime(2026, 11, 23, 12, 0, 0)


@pytest.fixture
def store(backend: str, tmp_path: Path) -> Iterator[Store]:
    with migrated_store(backend, str(tmp_path)) as made:
        yield made


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
