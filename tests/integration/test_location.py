"""Location service DescribeEndpoints against a served imageshare: imageshare's own address for
every product it serves, the real service's refusal for any other."""

from __future__ import annotations

import json

import pytest
from aliyunsdkcore.acs_exception.exceptions import ServerException
from aliyunsdkcore.client import AcsClient
from aliyunsdkcore.request import CommonRequest
from support.world import World

from imageshare.api.location import own_host


def resolving_client(world: World) -> AcsClient:
    # The old SDK's own resolver asks over HTTPS; inside mock_alibabacloud() it is served
    # whatever the protocol (tests/testing/test_mock.py). Here the call is made directly.
    who = world.account()
    return AcsClient(who.key_id, who.secret, "cn-hangzhou", port=world.port)


@pytest.mark.parametrize("code", ["swas-open", "SWAS-OPEN", "ecd", "ecs", "ram", "sts"])
def test_every_served_product_resolves_to_imageshare(world: World, code: str) -> None:
    client = resolving_client(world)
    request = CommonRequest(
        domain=world.host, version="2015-06-12", action_name="DescribeEndpoints"
    )
    request.set_protocol_type("http")
    for name, value in {"Id": "cn-hangzhou", "ServiceCode": code, "Type": "openAPI"}.items():
        request.add_query_param(name, value)
    answer = json.loads(client.do_action_with_exception(request))
    [endpoint] = answer["Endpoints"]["Endpoint"]
    assert endpoint["Endpoint"] == world.host
    assert (endpoint["SerivceCode"], endpoint["Type"]) == (code.lower(), "openAPI")
    assert answer["Success"] is True


def test_another_product_is_illegal_and_the_sdk_names_it(world: World) -> None:
    client = resolving_client(world)
    request = CommonRequest(
        domain=world.host, version="2015-06-12", action_name="DescribeEndpoints"
    )
    request.set_protocol_type("http")
    for name, value in {"Id": "cn-hangzhou", "ServiceCode": "vpc", "Type": "openAPI"}.items():
        request.add_query_param(name, value)
    with pytest.raises(ServerException) as refused:
        client.do_action_with_exception(request)
    assert (refused.value.get_error_code(), refused.value.get_http_status()) == (
        "Illegal Parameter",
        400,
    )
    assert refused.value.get_error_msg() == "Please check the parameters"


@pytest.mark.parametrize(
    ("header", "host"),
    [
        ("127.0.0.1:8080", "127.0.0.1"),
        ("[::1]:8080", "[::1]"),
        ("ecs.aliyuncs.com", "ecs.aliyuncs.com"),
    ],
)
def test_own_host_drops_the_port(header: str, host: str) -> None:
    assert own_host(header) == host
