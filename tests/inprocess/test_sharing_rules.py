"""The in-process tier: signed requests handed to ``Pipeline.handle``, no HTTP and no SDK, on
SQLite and PostgreSQL. One table of sharing rules runs across the products that share images
(SWAS, ECD and ECS; each product's differences are the table's columns), where the SDK tests
check the wire once per action.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import pytest
from support.databases import migrated_database_url

from imageshare.api.all import build_registry
from imageshare.auth.signing import sign_rpc_params
from imageshare.config import Settings
from imageshare.domain.accounts import AccessKey
from imageshare.domain.ids import new_resource_id
from imageshare.domain.images import Image
from imageshare.domain.products import ImageProduct
from imageshare.domain.times import utcnow, wire_time
from imageshare.pipeline.handle import Pipeline
from imageshare.pipeline.wire import RawRequest, WireResponse
from imageshare.services.accounts import create_account
from imageshare.store.database import Store
from imageshare.store.engine import make_engine

REGION = "cn-hangzhou"
MISSING_ACCOUNT = 1999999999999999


@dataclass(frozen=True)
class Product:
    """How one product shares an image on the wire."""

    image_product: ImageProduct
    version: str
    action: str
    accounts_parameter: str  # the list parameter, without its ".N"
    status: str  # a usable image's stored status


SWAS = Product(ImageProduct.SWAS, "2020-06-01", "AddCustomImageShareAccount", "Account", "1")
ECD = Product(ImageProduct.ECD, "2020-09-30", "ModifyImagePermission", "AddAccount", "Available")
ECS = Product(
    ImageProduct.ECS, "2014-05-26", "ModifyImageSharePermission", "AddAccount", "Available"
)
PRODUCTS = {"swas": SWAS, "ecd": ECD, "ecs": ECS}

# (case, who is added, the answer per product: HTTP status and error code, "" for success)
RULES = [
    ("one account", ["friend"], {"swas": (200, ""), "ecd": (200, ""), "ecs": (200, "")}),
    (
        "the owner itself",
        ["friend", "owner"],
        {
            "swas": (404, "InvalidAccount.Forbbiden"),
            "ecd": (404, "InvalidAccount.Forbbiden"),
            "ecs": (404, "InvalidAccount.Forbbiden"),
        },
    ),
    (
        "an account that does not exist",
        ["friend", "missing"],
        {
            "swas": (404, "InvalidAccount.NotFound"),
            "ecd": (404, "InvalidAccount.NotFound"),
            "ecs": (404, "InvalidAccount.NotFound"),
        },
    ),
    (
        # SWAS keeps to the owner's site; ECD and ECS share across sites (docs/ecs.md).
        "an account of the other site",
        ["friend", "abroad"],
        {"swas": (403, "InvalidImageId.BidMismatch"), "ecd": (200, ""), "ecs": (200, "")},
    ),
]


@dataclass(frozen=True)
class Caller:
    account_id: int
    key: AccessKey


class InProcess:
    def __init__(self, store: Store) -> None:
        self.store = store
        self.pipeline = Pipeline(
            Settings(database_url=str(store.engine.url)), store, build_registry()
        )

    def account(self, site: str = "china") -> Caller:
        with self.store.unit_of_work(write=True) as uow:
            account, key = create_account(uow, site=site, now=utcnow())
            uow.commit()
        return Caller(account.id, key)

    def image(self, owner: Caller, product: Product) -> str:
        image_id = new_resource_id("m")
        image = Image(
            id=image_id, account_id=owner.account_id, region_id=REGION,
            product=product.image_product, name=new_resource_id("n"), description="",
            status=product.status, platform="Linux", source_instance_id=None,
            system_snapshot_id=None, data_snapshot_id=None, system_disk_size=40,
            data_disk_size=0, resource_group_id=None, shared_to_ecs=False, created_at=utcnow(),
        )  # fmt: skip
        with self.store.unit_of_work(write=True) as uow:
            assert uow.images.add(image, [])
            uow.commit()
        return image_id

    def call(self, who: Caller, version: str, action: str, **params: str) -> WireResponse:
        common = {
            "Action": action, "Version": version, "Format": "JSON",
            "AccessKeyId": who.key.id, "SignatureMethod": "HMAC-SHA1", "SignatureVersion": "1.0",
            "SignatureNonce": secrets.token_hex(16), "Timestamp": wire_time(utcnow()),
        }  # fmt: skip
        signed = sign_rpc_params(
            secret=who.key.secret, method="POST", params=[*common.items(), *params.items()]
        )
        raw = RawRequest("POST", urlencode(signed), {"host": ["127.0.0.1"]})
        return self.pipeline.handle(raw)

    def shared_with(self, image_id: str) -> set[int]:
        with self.store.unit_of_work() as uow:
            return uow.shares.accounts(image_id)


@pytest.fixture(params=["sqlite", "postgres"])
def server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[InProcess]:
    with migrated_database_url(request.param, str(tmp_path)) as url:
        engine = make_engine(url)
        store = Store(engine)
        yield InProcess(store)
        store.dispose()


@pytest.mark.parametrize("product", sorted(PRODUCTS))
@pytest.mark.parametrize(("case", "added", "answers"), RULES, ids=[rule[0] for rule in RULES])
def test_sharing_rules_across_products(
    server: InProcess,
    product: str,
    case: str,
    added: list[str],
    answers: dict[str, tuple[int, str]],
) -> None:
    """A share answers as its product's rules say; a refused share changes nothing."""
    chosen = PRODUCTS[product]
    owner, friend, abroad = server.account(), server.account(), server.account("international")
    image_id = server.image(owner, chosen)
    ids = {"owner": owner.account_id, "friend": friend.account_id, "abroad": abroad.account_id}
    accounts = [ids.get(name, MISSING_ACCOUNT) for name in added]
    params = {f"{chosen.accounts_parameter}.{n}": str(a) for n, a in enumerate(accounts, 1)}
    response = server.call(
        owner, chosen.version, chosen.action, RegionId=REGION, ImageId=image_id, **params
    )
    status, code = answers[product]
    assert response.status == status, response.body
    assert code.encode() in response.body
    assert server.shared_with(image_id) == (set(accounts) if status == 200 else set())


@pytest.mark.parametrize("product", sorted(PRODUCTS))
def test_a_stranger_is_told_the_image_does_not_exist(server: InProcess, product: str) -> None:
    chosen = PRODUCTS[product]
    owner, stranger = server.account(), server.account()
    image_id = server.image(owner, chosen)
    response = server.call(
        stranger, chosen.version, chosen.action, RegionId=REGION, ImageId=image_id,
        **{f"{chosen.accounts_parameter}.1": str(stranger.account_id)},
    )  # fmt: skip
    assert response.status == 404 and b"InvalidImageId.NotFound" in response.body
    assert server.shared_with(image_id) == set()
