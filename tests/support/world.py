"""Accounts made straight in the store, and official-SDK clients pointed at the test server."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from alibabacloud_ecd20200930.client import Client as EcdClient
from alibabacloud_ecs20140526.client import Client as EcsClient
from alibabacloud_ram20150501.client import Client as RamClient
from alibabacloud_sts20150401.client import Client as StsClient
from alibabacloud_swas_open20200601.client import Client as SwasClient
from alibabacloud_tea_openapi.models import Config
from aliyunsdkcore.auth.credentials import StsTokenCredential
from aliyunsdkcore.client import AcsClient

from imageshare.services.accounts import create_account
from imageshare.store.uow import Store


@dataclass(frozen=True)
class AccountKeys:
    id: int
    site: str
    key_id: str
    secret: str
    # Set for STS credentials: the key is "STS.…" and must travel with its token.
    security_token: str | None = None


class World:
    def __init__(self, endpoint: str, store: Store) -> None:
        self.endpoint = endpoint
        self.store = store
        self.port = int(endpoint.rsplit(":", 1)[1])

    def account(self, site: str = "china") -> AccountKeys:
        with self.store.unit_of_work(write=True) as uow:
            account, key = create_account(
                uow, site=site, now=datetime.now(UTC).replace(tzinfo=None)
            )
            uow.commit()
        return AccountKeys(account.id, account.site, key.id, key.secret)

    def config(self, who: AccountKeys, **extra: Any) -> Config:
        settings: dict[str, Any] = {
            "access_key_id": who.key_id,
            "access_key_secret": who.secret,
            "security_token": who.security_token,
            "endpoint": self.endpoint,
            "protocol": "http",
            "region_id": "cn-hangzhou",
        }
        return Config(**{**settings, **extra})

    def swas(self, who: AccountKeys, **extra: Any) -> SwasClient:
        return SwasClient(self.config(who, **extra))

    def ecd(self, who: AccountKeys, **extra: Any) -> EcdClient:
        return EcdClient(self.config(who, **extra))

    def ecs(self, who: AccountKeys, **extra: Any) -> EcsClient:
        return EcsClient(self.config(who, **extra))

    def ram(self, who: AccountKeys, **extra: Any) -> RamClient:
        return RamClient(self.config(who, **extra))

    def sts(self, who: AccountKeys, **extra: Any) -> StsClient:
        return StsClient(self.config(who, **extra))

    def old(self, who: AccountKeys) -> AcsClient:
        """aliyun-python-sdk-core, signing with RPC v1 HMAC-SHA1 (SecurityToken for STS)."""
        if who.security_token is not None:
            credential = StsTokenCredential(who.key_id, who.secret, who.security_token)
            return AcsClient(region_id="cn-hangzhou", credential=credential, port=self.port)
        return AcsClient(who.key_id, who.secret, "cn-hangzhou", port=self.port)
