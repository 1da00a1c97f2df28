"""The world builder: accounts with keys, resources made through the official path, and
official-SDK clients already pointed at the server.

    def test_share(imageshare: World) -> None:
        alice, bob = imageshare.account(), imageshare.account()
        image = imageshare.swas_image(alice)
        imageshare.swas(alice).add_custom_image_share_account(...)

Accounts and keys are made in the store (there is no API for them, as on the real cloud);
everything else goes through the same HTTP API a user's code calls, so a helper can never
build a state the real service could not reach.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from imageshare.domain import ids
from imageshare.domain.accounts import Account
from imageshare.domain.regions import CHINA, SITES
from imageshare.services.accounts import create_account, create_key
from imageshare.store.database import Store
from imageshare.testing.clock import TestClock
from imageshare.testing.ecd import make_desktop, make_image
from imageshare.testing.ecs import DEFAULT_ECS_IMAGE
from imageshare.testing.ecs import make_image as make_ecs_image
from imageshare.testing.ecs import make_instance as make_ecs_instance
from imageshare.testing.faults import Faults
from imageshare.testing.ram import make_user
from imageshare.testing.sdk import sdk
from imageshare.testing.swas import SwasImage, make_custom_image
from imageshare.values import frozen

if TYPE_CHECKING:
    from alibabacloud_actiontrail20200706.client import Client as ActionTrailClient
    from alibabacloud_ecd20200930.client import Client as EcdClient
    from alibabacloud_ecs20140526.client import Client as EcsClient
    from alibabacloud_ram20150501.client import Client as RamClient
    from alibabacloud_sts20150401.client import Client as StsClient
    from alibabacloud_swas_open20200601.client import Client as SwasClient
    from alibabacloud_tea_openapi.models import Config
    from aliyunsdkcore.client import AcsClient

DEFAULT_REGION = "cn-hangzhou"
# Product codes of the aliyun-python-sdk-* requests, which route by (region, product).
_OLD_SDK_PRODUCTS = ("swas-open", "ecs", "ecd")


@frozen
class AccountKeys:
    """A main account and one root access key: what any client needs to sign requests."""

    id: int
    site: str
    key_id: str
    secret: str
    # Set for STS credentials (a role session): the "STS." key travels with its token.
    security_token: str | None = None


class World:
    """Accounts, resources and clients for one imageshare server (docs/testing.md)."""

    def __init__(self, endpoint: str, store: Store, region: str = DEFAULT_REGION) -> None:
        self.endpoint = endpoint
        self.store = store
        self.region = region
        self.host, port = endpoint.rsplit(":", 1)
        self.port = int(port)
        # Fault rules (docs/testing.md, "Faults"): world.faults.add("ecs:CopyImage", ...).
        self.faults = Faults(store)
        # The server's clock: freeze, advance, resume (testing/clock.py).
        self.clock = TestClock(store)

    @property
    def url(self) -> str:
        return f"http://{self.endpoint}"

    # --- accounts ------------------------------------------------------------------------

    def account(self, site: str = CHINA, id: int | None = None) -> AccountKeys:
        """A new main account on ``site`` with a root key; ``id`` picks its 16-digit id.

        :raises ValueError: unknown site, malformed id, or an id already taken.
        """
        if site not in SITES:
            raise ValueError(f"unknown site {site!r}: use one of {', '.join(SITES)}")
        with self.store.unit_of_work(write=True) as uow:
            now = uow.clock.now()
            if id is None:
                account, key = create_account(uow, site=site, now=now)
            else:
                _check_new_account_id(id, uow.accounts.get(id) is not None)
                account = Account(id=id, site=site, is_demo=False, created_at=now)
                uow.accounts.add(account)
                key = create_key(uow, account_id=id, now=now)
            uow.commit()
        return AccountKeys(account.id, account.site, key.id, key.secret)

    # --- clients -------------------------------------------------------------------------

    def config(self, who: AccountKeys, **extra: Any) -> Config:
        """A tea-SDK ``Config`` for ``who`` at this server; ``extra`` overrides any field."""
        fields: dict[str, Any] = {
            "access_key_id": who.key_id,
            "access_key_secret": who.secret,
            "security_token": who.security_token,
            "endpoint": self.endpoint,
            "protocol": "http",
            "region_id": self.region,
            **extra,
        }
        return sdk("alibabacloud_tea_openapi.models").Config(**fields)

    def swas(self, who: AccountKeys, **extra: Any) -> SwasClient:
        """The Simple Application Server (swas-open 2020-06-01) tea SDK client."""
        client: SwasClient = sdk("alibabacloud_swas_open20200601.client").Client(
            self.config(who, **extra)
        )
        return client

    def ecd(self, who: AccountKeys, **extra: Any) -> EcdClient:
        """The Elastic Desktop Service (ecd 2020-09-30) tea SDK client."""
        client: EcdClient = sdk("alibabacloud_ecd20200930.client").Client(self.config(who, **extra))
        return client

    def ecs(self, who: AccountKeys, **extra: Any) -> EcsClient:
        """The Elastic Compute Service (ecs 2014-05-26) tea SDK client."""
        client: EcsClient = sdk("alibabacloud_ecs20140526.client").Client(self.config(who, **extra))
        return client

    def ram(self, who: AccountKeys, **extra: Any) -> RamClient:
        """The RAM (ram 2015-05-01) tea SDK client."""
        client: RamClient = sdk("alibabacloud_ram20150501.client").Client(self.config(who, **extra))
        return client

    def sts(self, who: AccountKeys, **extra: Any) -> StsClient:
        """The STS (sts 2015-04-01) tea SDK client."""
        client: StsClient = sdk("alibabacloud_sts20150401.client").Client(self.config(who, **extra))
        return client

    def actiontrail(self, who: AccountKeys, **extra: Any) -> ActionTrailClient:
        """The ActionTrail (actiontrail 2020-07-06) SDK client: LookupEvents."""
        module = sdk("alibabacloud_actiontrail20200706.client")
        client: ActionTrailClient = module.Client(self.config(who, **extra))
        return client

    def old(self, who: AccountKeys) -> AcsClient:
        """aliyun-python-sdk-core's ``AcsClient`` (RPC v1 HMAC-SHA1 signatures; STS
        credentials send ``SecurityToken``), with the SWAS, ECS and ECD products routed
        here, so requests need no ``set_endpoint``."""
        core = sdk("aliyunsdkcore.client")
        if who.security_token is not None:
            credentials = sdk("aliyunsdkcore.auth.credentials")
            token = credentials.StsTokenCredential(who.key_id, who.secret, who.security_token)
            client: AcsClient = core.AcsClient(
                region_id=self.region, credential=token, port=self.port
            )
        else:
            client = core.AcsClient(who.key_id, who.secret, self.region, port=self.port)
        for product in _OLD_SDK_PRODUCTS:
            client.add_endpoint(self.region, product, self.host)
        return client

    # --- resources, through the official API ---------------------------------------------

    def swas_image(
        self, who: AccountKeys, region: str | None = None, name: str | None = None
    ) -> SwasImage:
        """A SWAS custom image of ``who``'s, made as a user makes one: CreateInstances ->
        ListDisks -> CreateSnapshot (system disk) -> CreateCustomImage."""
        return make_custom_image(self.swas(who), region or self.region, name)

    def ecd_desktop(
        self,
        who: AccountKeys,
        region: str | None = None,
        *,
        os_type: str = "Windows",
        encrypted: bool = False,
    ) -> str:
        """An ECD desktop of ``who``'s, made as `imageshare ecd desktops create` makes one."""
        region = region or self.region
        return make_desktop(self.store, who.id, region, os_type=os_type, encrypted=encrypted)

    def ecd_image(
        self,
        who: AccountKeys,
        region: str | None = None,
        name: str | None = None,
        *,
        encrypted: bool = False,
    ) -> str:
        """An ECD custom image of ``who``'s: a new desktop, then CreateImage through the SDK."""
        region = region or self.region
        desktop_id = self.ecd_desktop(who, region, encrypted=encrypted)
        return make_image(self.ecd(who), region, desktop_id, name)

    def ecs_instance(
        self, who: AccountKeys, region: str | None = None, image_id: str | None = None
    ) -> str:
        """An ECS instance of ``who``'s (RunInstances through the SDK), from ``image_id`` or
        the public Alibaba Cloud Linux 3 image."""
        region = region or self.region
        return make_ecs_instance(self.ecs(who), region, image_id or DEFAULT_ECS_IMAGE)

    def ecs_image(
        self, who: AccountKeys, region: str | None = None, name: str | None = None
    ) -> str:
        """An ECS custom image of ``who``'s, made as a user makes one: RunInstances ->
        CreateImage -> DescribeImages until it is Available."""
        return make_ecs_image(self.ecs(who), region or self.region, name)

    def ram_user(
        self,
        who: AccountKeys,
        name: str | None = None,
        policy: str | Mapping[str, Any] | None = None,
        system: Sequence[str] = (),
    ) -> AccountKeys:
        """A RAM user of ``who``'s account, with a custom ``policy`` (a policy document)
        and/or ``system`` policies attached, made through the RAM SDK; its keys."""
        policies = [] if policy is None else [policy]
        _, key_id, secret = make_user(self.ram(who), name, policies, system)
        return AccountKeys(who.id, who.site, key_id, secret)


def _check_new_account_id(account_id: int, taken: bool) -> None:
    """:raises ValueError: not 16 digits beginning with 1, or already an account."""
    if not ids.is_account_id(str(account_id)):
        raise ValueError(f"account id {account_id} must be 16 digits beginning with 1")
    if taken:
        raise ValueError(f"account {account_id} already exists")
