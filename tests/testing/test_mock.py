"""``mock_alibabacloud()``: the code under test builds its own clients, as production code does
(real host names, https, no endpoint, credentials from the default chain), and imageshare
serves them; nothing reaches the network, and nothing outside the block is changed."""

from __future__ import annotations

import asyncio
import json
import os
import socket
from typing import Any

import pytest
from alibabacloud_credentials.client import Client as CredentialClient
from alibabacloud_credentials.utils import auth_util
from alibabacloud_ecd20200930 import models as ecd_models
from alibabacloud_ecd20200930.client import Client as EcdClient
from alibabacloud_ecs20140526 import models as ecs_models
from alibabacloud_ecs20140526.client import Client as EcsClient
from alibabacloud_ram20150501 import models as ram_models
from alibabacloud_ram20150501.client import Client as RamClient
from alibabacloud_sts20150401.client import Client as StsClient
from alibabacloud_swas_open20200601 import models as swas_models
from alibabacloud_swas_open20200601.client import Client as SwasClient
from alibabacloud_tea_openapi import models as openapi_models
from alibabacloud_tea_openapi.client import Client as OpenApiClient
from alibabacloud_tea_openapi.models import Config
from alibabacloud_tea_util.models import RuntimeOptions
from aliyunsdkcore.acs_exception.exceptions import ClientException
from aliyunsdkcore.client import AcsClient
from aliyunsdkcore.http.http_response import HttpResponse
from aliyunsdkcore.request import CommonRequest
from aliyunsdkswas_open.request.v20200601.ListInstancesRequest import ListInstancesRequest
from darabonba.core import DaraCore
from Tea.core import TeaCore
from Tea.exceptions import TeaException

from imageshare.api.all import build_registry
from imageshare.testing import MockedCloud, mock_alibabacloud

REGION = "cn-hangzhou"
LOOPBACK = {"127.0.0.1", "localhost", "::1"}


class NetworkUsed(AssertionError):
    pass


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Any name resolution but the loopback's fails the test (and is recorded)."""
    attempts: list[str] = []
    resolve = socket.getaddrinfo

    def guarded(host: Any, *args: Any, **kwargs: Any) -> Any:
        if str(host) not in LOOPBACK:
            attempts.append(str(host))
            raise NetworkUsed(f"a request left for {host}")
        return resolve(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", guarded)
    return attempts


# --- the code under test: production code, which knows nothing of imageshare ---------------


def production_config(protocol: str = "https") -> Config:
    """What the SDK samples tell users to write: region, default credentials chain."""
    return Config(credential=CredentialClient(), region_id=REGION, protocol=protocol)


def count_everything() -> dict[str, Any]:
    swas = SwasClient(production_config())
    ecd = EcdClient(production_config())
    ecs = EcsClient(production_config(protocol="http"))
    ram = RamClient(production_config())
    sts = StsClient(production_config())
    return {
        "swas": swas.list_instances(swas_models.ListInstancesRequest(region_id=REGION)).body,
        "ecd": ecd.describe_images(ecd_models.DescribeImagesRequest(region_id=REGION)).body,
        "ecs": ecs.describe_images(ecs_models.DescribeImagesRequest(region_id=REGION)).body,
        "ram": ram.list_users(ram_models.ListUsersRequest()).body,
        "caller": sts.get_caller_identity().body,
    }


async def count_everything_async() -> dict[str, Any]:
    swas = SwasClient(production_config())
    ecd = EcdClient(production_config())
    ecs = EcsClient(production_config())
    ram = RamClient(production_config())
    sts = StsClient(production_config())
    instances, desktops_images, images, users, caller = await asyncio.gather(
        swas.list_instances_async(swas_models.ListInstancesRequest(region_id=REGION)),
        ecd.describe_images_async(ecd_models.DescribeImagesRequest(region_id=REGION)),
        ecs.describe_images_async(ecs_models.DescribeImagesRequest(region_id=REGION)),
        ram.list_users_async(ram_models.ListUsersRequest()),
        sts.get_caller_identity_async(),
    )
    return {
        "swas": instances.body,
        "ecd": desktops_images.body,
        "ecs": images.body,
        "ram": users.body,
        "caller": caller.body,
    }


# --- tests -------------------------------------------------------------------------------


def test_every_tea_sdk_client_the_code_builds_is_served(no_network: list[str]) -> None:
    with mock_alibabacloud() as cloud:
        alice = cloud.account()
        cloud.swas_image(cloud.default)  # made through the same server, for the default key
        cloud.ram_user(cloud.default, "ops")
        seen = count_everything()
        # The World's own clients (explicit endpoint, plain HTTP) keep working in the block.
        alices = cloud.swas(alice).list_instances(
            swas_models.ListInstancesRequest(region_id=REGION)
        )
    assert seen["swas"].total_count == 1
    assert seen["ecd"].images is not None
    assert seen["ecs"].request_id
    assert alices.body.total_count == 0
    assert [user.user_name for user in seen["ram"].users.user] == ["ops"]
    assert seen["caller"].account_id == str(cloud.default.id)
    assert no_network == []


def test_async_calls_are_served(no_network: list[str]) -> None:
    with mock_alibabacloud() as cloud:
        cloud.ram_user(cloud.default, "ops")
        seen = asyncio.run(count_everything_async())
    assert seen["swas"].total_count == 0
    assert seen["ecd"].images is not None and seen["ecs"].request_id
    assert [user.user_name for user in seen["ram"].users.user] == ["ops"]
    assert seen["caller"].account_id == str(cloud.default.id)
    assert no_network == []


def test_old_sdk_clients_with_no_endpoint_are_served(no_network: list[str]) -> None:
    with mock_alibabacloud() as cloud:
        cloud.swas_image(cloud.default)
        # swas-open has no built-in endpoint: the client asks the location service, which
        # imageshare answers too.
        client = AcsClient(region_id=REGION)  # keys from the environment
        answer = json.loads(client.do_action_with_exception(ListInstancesRequest()))
    assert answer["TotalCount"] == 1
    assert no_network == []


def test_an_old_sdk_product_imageshare_does_not_serve_is_named(no_network: list[str]) -> None:
    # No built-in endpoint, so the resolver asks the location service: imageshare refuses
    # the product as the real one does, and the SDK raises its own error naming it.
    unknown = CommonRequest(version="2020-01-01", action_name="DescribeThings", product="Nosuch")
    unknown.set_location_service_code("nosuch")
    with mock_alibabacloud(), pytest.raises(ClientException, match="(?i)nosuch"):
        AcsClient(region_id=REGION).do_action_with_exception(unknown)
    assert no_network == []


def test_each_block_starts_from_a_clean_state() -> None:
    with mock_alibabacloud() as first:
        first.swas_image(first.default)
    with mock_alibabacloud() as second:
        body = count_everything()["swas"]
        assert second.default.id != first.default.id
    assert body.total_count == 0


def test_a_product_imageshare_does_not_serve_fails_naming_the_action(
    no_network: list[str],
) -> None:
    vpc = OpenApiClient(
        Config(credential=CredentialClient(), endpoint="vpc.cn-hangzhou.aliyuncs.com")
    )
    params = openapi_models.Params(
        action="DescribeVpcs",
        version="2016-04-28",
        protocol="HTTPS",
        pathname="/",
        method="POST",
        auth_type="AK",
        style="RPC",
        req_body_type="formData",
        body_type="json",
    )
    with mock_alibabacloud(), pytest.raises(TeaException) as refused:
        vpc.call_api(params, openapi_models.OpenApiRequest(), RuntimeOptions())
    assert refused.value.code == "InvalidVersion"
    assert '(action "DescribeVpcs")' in refused.value.message
    assert "imageshare actions" in refused.value.message
    assert no_network == []


def test_an_action_not_emulated_says_so_and_where_the_list_is(no_network: list[str]) -> None:
    emulated = {(action.product.code, action.name) for action in build_registry()}
    assert ("ecs", "DescribeInstanceStatus") not in emulated, "pick another action here"
    with mock_alibabacloud(), pytest.raises(TeaException) as refused:
        EcsClient(production_config()).describe_instance_status(
            ecs_models.DescribeInstanceStatusRequest(region_id=REGION)
        )
    assert refused.value.code == "InvalidAction.NotFound"
    assert "imageshare does not emulate it" in refused.value.message
    assert "`imageshare actions --product ecs`" in refused.value.message


def test_a_client_built_outside_is_served_inside_and_left_alone_after(
    no_network: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", "outside-key")
    monkeypatch.delenv("ALIBABA_CLOUD_REGION_ID", raising=False)
    monkeypatch.setattr(auth_util, "environment_access_key_id", "outside-key")
    transports = (DaraCore.do_action, TeaCore.do_action, HttpResponse.get_response_object)
    sts = StsClient(Config(access_key_id="AK", access_key_secret="S", region_id=REGION))
    with mock_alibabacloud() as cloud:
        assert auth_util.environment_access_key_id == cloud.default.key_id
        assert os.environ["ALIBABA_CLOUD_REGION_ID"] == REGION
        with pytest.raises(TeaException) as unknown_key:
            sts.get_caller_identity()  # served by imageshare, which knows no key "AK"
    assert unknown_key.value.code == "InvalidAccessKeyId.NotFound"
    assert (DaraCore.do_action, TeaCore.do_action, HttpResponse.get_response_object) == (transports)
    assert os.environ["ALIBABA_CLOUD_ACCESS_KEY_ID"] == "outside-key"
    assert "ALIBABA_CLOUD_REGION_ID" not in os.environ
    assert auth_util.environment_access_key_id == "outside-key"
    with pytest.raises(Exception, match=r"sts\.cn-hangzhou\.aliyuncs\.com"):
        sts.get_caller_identity()  # outside the block the SDK's own transport is back
    assert no_network == ["sts.cn-hangzhou.aliyuncs.com"]


@mock_alibabacloud()
def test_as_a_decorator() -> None:
    assert count_everything()["caller"].identity_type == "Account"


@mock_alibabacloud()
async def _decorated_coroutine() -> str:
    identity = await StsClient(production_config()).get_caller_identity_async()
    account: str = identity.body.account_id
    return account


def test_as_a_decorator_of_a_coroutine() -> None:
    assert asyncio.run(_decorated_coroutine()).isdigit()


def test_the_pytest_fixture(imageshare_mock: MockedCloud, no_network: list[str]) -> None:
    imageshare_mock.swas_image(imageshare_mock.default)
    assert count_everything()["swas"].total_count == 1
    assert os.environ["ALIBABA_CLOUD_ACCESS_KEY_SECRET"] == imageshare_mock.default.secret


def test_a_block_inside_a_block_is_refused() -> None:
    block = mock_alibabacloud()
    with block, pytest.raises(RuntimeError, match="already active"):
        block.__enter__()
