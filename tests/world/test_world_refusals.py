"""Loading is all or nothing, on SQLite and PostgreSQL: a world a product rule or the database
refuses is reported at the line of the entry that caused it, and every table keeps exactly the
rows it had (a world that loads cleanly, below, shows the same tables do change)."""

from __future__ import annotations

from collections.abc import Iterator
from textwrap import dedent

import pytest
from world_support import fresh_store, line_of, load_text, row_counts

from imageshare.store.database import Store
from imageshare.world import WorldRefused

# Already in the database before each refused load: an account, a key, a desktop, an image.
BYSTANDER = """\
version: 1
accounts:
  - name: bystander
    id: 1500000000000001
    access_keys: [{id: LTAIbystander00000000001, secret: bystander-secret-0000000001}]
    swas:
      instances: [{name: web, region: cn-hangzhou}]
      images: [{name: kept, instance: web, id: m-bystander00000000001}]
    ecd:
      desktops: [{name: desk, region: cn-hangzhou, id: ecd-bystanderdesk0001}]
"""

_OWNER = """\
version: 1
accounts:
  - name: alice
    swas:
      instances: [{name: web, region: cn-hangzhou}]
      images:
        - {name: one, instance: web}
"""

# (case, file, text on the refused entry's line, words of the problem)
REFUSED: list[tuple[str, str, str, str]] = [
    (
        "the last share crosses sites (SWAS)",
        _OWNER + """\
  - name: bob
  - name: carol
    site: international
shares:
  - {swas_image: alice/one, accounts: [bob]}
  - {swas_image: alice/one, accounts: [carol]}
""",
        "accounts: [carol]",
        "InvalidImageId.BidMismatch",
    ),
    (
        "sharing with oneself",
        _OWNER + "shares:\n  - {swas_image: alice/one, accounts: [alice]}\n",
        "accounts: [alice]",
        "InvalidAccount.Forbbiden",
    ),
    (
        "sharing with an account nobody has",
        _OWNER + "shares:\n  - {swas_image: alice/one, accounts: [1999999999999999]}\n",
        "1999999999999999",
        "InvalidAccount.NotFound",
    ),
    (
        "more images than the instance's quota",
        _OWNER + "        - {name: two, instance: web}\n        - {name: three, instance: web}\n"
        "        - {name: four, instance: web}\n",
        "name: four",
        "CustomImageQuotaLimit",
    ),
    (
        "a Windows image on a Linux-only plan",
        _OWNER.replace(
            "region: cn-hangzhou}",
            "region: cn-hangzhou, plan: swas.s1.c1m1s40b3t05,\n"
            "                      image: b5d02e8c7f3a4e6d9c1a2b3c4d5e6f70}",
        ),
        "plan: swas.s1.c1m1s40b3t05",
        "PlatformNotMatch",
    ),
    (
        "a data disk size CreateInstances refuses",
        _OWNER.replace("region: cn-hangzhou}", "region: cn-hangzhou, data_disk_size: 30}"),
        "data_disk_size: 30",
        "InvalidDataDiskSize",
    ),
    (
        "an encrypted ECD image shared",
        """\
version: 1
accounts:
  - name: alice
    ecd:
      desktops: [{name: d, region: cn-hangzhou, encrypted: true}]
      images: [{name: secret-desk, desktop: d}]
  - name: bob
shares:
  - ecd_image: alice/secret-desk
    accounts: [bob]
""",
        "ecd_image: alice/secret-desk",
        "OperationDeined.EncryptedSnapshot",
    ),
    (
        "a fixed desktop id another account's desktop has",
        """\
version: 1
accounts:
  - name: alice
    ecd:
      desktops: [{name: d, region: cn-hangzhou, id: ecd-bystanderdesk0001}]
""",
        "id: ecd-bystanderdesk0001",
        "the database already holds a conflicting row",
    ),
    (
        "a fixed image id already taken",
        _OWNER.replace("instance: web}", "instance: web, id: m-bystander00000000001}"),
        "id: m-bystander00000000001",
        "image m-bystander00000000001 already exists in this database",
    ),
]  # fmt: skip


@pytest.fixture(scope="module")
def store(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    with fresh_store(backend, str(tmp_path_factory.mktemp(f"refusals-{backend}"))) as made:
        load_text(made, BYSTANDER)
        yield made


@pytest.mark.parametrize(
    ("text", "needle", "words"), [c[1:] for c in REFUSED], ids=[c[0] for c in REFUSED]
)
def test_a_refused_world_changes_nothing(store: Store, text: str, needle: str, words: str) -> None:
    before = row_counts(store)
    with pytest.raises(WorldRefused) as info:
        load_text(store, text)
    (problem,) = info.value.problems
    assert problem.line == line_of(text, needle), str(problem)
    assert words in problem.message and str(problem).startswith(f"world.yaml:{problem.line}: ")
    assert row_counts(store) == before


def test_loading_the_same_world_twice_is_refused_with_a_hint(store: Store) -> None:
    text = (
        BYSTANDER.replace("1500000000000001", "1500000000000002")
        .replace("bystander0000", "twice00000000")
        .replace("bystanderdesk", "twicedesk0000")
        .replace("LTAIbystander", "LTAItwice0000")
    )
    load_text(store, text)
    before = row_counts(store)
    with pytest.raises(WorldRefused) as info:
        load_text(store, text)
    first, *others = info.value.problems
    assert first.line == line_of(text, "id: 1500000000000002")
    assert "account 1500000000000002 already exists" in first.message
    assert "imageshare state reset" in first.message
    assert [p.line for p in others] == [
        line_of(text, "access_keys:"), line_of(text, "id: m-twice")
    ]  # fmt: skip
    assert row_counts(store) == before


def test_a_world_that_loads_adds_rows_everywhere_it_says(store: Store) -> None:
    """The counterpart of the refusals: the same kind of file, accepted, changes the tables."""
    before = row_counts(store)
    text = dedent("""\
        version: 1
        accounts:
          - name: dora
            ram:
              users: [{name: u, policies: [ReadOnlyAccess]}]
            swas:
              instances: [{name: web, region: cn-hangzhou}]
              images: [{name: shared-one, instance: web}]
        shares:
          - {swas_image: dora/shared-one, accounts: [1500000000000001]}
        """)
    loaded = load_text(store, text)
    after = row_counts(store)
    grown = {name for name in after if after[name] > before[name]}
    assert {"accounts", "access_keys", "ram_users", "ram_attachments", "swas_instances",
            "swas_disks", "swas_snapshots", "images", "image_shares"} <= grown  # fmt: skip
    assert loaded.images[0].shared_with == (1500000000000001,)
