"""Each SDK flavour meets each error it can provoke, and exposes code, status and RequestId."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from alibabacloud_ecd20200930 import models as ecd
from alibabacloud_ecs20140526 import models as ecs
from alibabacloud_swas_open20200601 import models as swas
from alibabacloud_tea_openapi.client import Client as OpenApiClient
from alibabacloud_tea_openapi.exceptions import ClientException
from alibabacloud_tea_openapi.models import OpenApiRequest, Params
from aliyunsdkcore.acs_exception.exceptions import ServerException
from aliyunsdkcore.request import CommonRequest
from darabonba.runtime import RuntimeOptions
from support.world import AccountKeys, World

from imageshare.services.accounts import set_key_status

Caller = Callable[[World, AccountKeys], object]


def _tea_swas(world: World, who: AccountKeys) -> object:
    return world.swas(who).list_regions(swas.ListRegionsRequest())


def _tea_swas_v2(world: World, who: AccountKeys) -> object:
    return world.swas(who, signature_algorithm="v2").list_regions(swas.ListRegionsRequest())


def _tea_ecd(world: World, who: AccountKeys) -> object:
    return world.ecd(who).describe_regions(ecd.DescribeRegionsRequest(region_id="cn-hangzhou"))


def _tea_ecs(world: World, who: AccountKeys) -> object:
    return world.ecs(who).describe_regions(ecs.DescribeRegionsRequest())


def _old_core(world: World, who: AccountKeys) -> object:
    request = CommonRequest(domain="127.0.0.1", version="2014-05-26", action_name="DescribeRegions")
    request.set_protocol_type("http")
    return world.old(who).do_action_with_exception(request)


CALLERS: dict[str, Caller] = {
    "tea-swas": _tea_swas,
    "tea-swas-rpc-v1": _tea_swas_v2,
    "tea-ecd": _tea_ecd,
    "tea-ecs": _tea_ecs,
    "old-core": _old_core,
}


def _raised(call: Callable[[], object]) -> tuple[type[BaseException], str, int, str]:
    with pytest.raises((ClientException, ServerException)) as info:
        call()
    error: Any = info.value
    if isinstance(error, ServerException):
        return type(error), error.get_error_code(), error.get_http_status(), error.get_request_id()
    return type(error), error.code, error.status_code, error.request_id


def _expected_type(flavour: str) -> type[BaseException]:
    expected: type[BaseException] = ServerException if flavour == "old-core" else ClientException
    return expected


@pytest.mark.parametrize("flavour", CALLERS)
def test_unknown_key(world: World, flavour: str) -> None:
    ghost = AccountKeys(1000000000000001, "china", "LTAIghost000000000000000", "s")
    kind, code, status, request_id = _raised(lambda: CALLERS[flavour](world, ghost))
    assert (kind, code, status) == (_expected_type(flavour), "InvalidAccessKeyId.NotFound", 404)
    assert request_id


@pytest.mark.parametrize("flavour", CALLERS)
def test_disabled_key(world: World, flavour: str) -> None:
    who = world.account()
    with world.store.unit_of_work(write=True) as uow:
        set_key_status(uow, who.key_id, active=False)
        uow.commit()
    kind, code, status, request_id = _raised(lambda: CALLERS[flavour](world, who))
    assert (kind, code, status) == (_expected_type(flavour), "InvalidAccessKeyId.Inactive", 400)
    assert request_id


@pytest.mark.parametrize("flavour", CALLERS)
def test_wrong_secret(world: World, flavour: str) -> None:
    who = world.account()
    wrong = AccountKeys(who.id, who.site, who.key_id, "wrong-secret")
    kind, code, status, request_id = _raised(lambda: CALLERS[flavour](world, wrong))
    # CommonRequest in the old SDK keeps its string to sign on an inner request, so its
    # InvalidAccessKeySecret rewrite never fires there; the wire code is SignatureDoesNotMatch.
    assert (kind, code, status) == (_expected_type(flavour), "SignatureDoesNotMatch", 400)
    assert request_id


def _generic(world: World, who: AccountKeys, action: str, version: str) -> object:
    client = OpenApiClient(world.config(who))
    params = Params(
        action=action,
        version=version,
        protocol="HTTP",
        pathname="/",
        method="POST",
        auth_type="AK",
        style="RPC",
        req_body_type="formData",
        body_type="json",
    )
    return client.call_api(params, OpenApiRequest(query={}), RuntimeOptions())


@pytest.mark.parametrize(
    ("action", "version", "code", "status"),
    [
        ("DescribeTheMoon", "2014-05-26", "InvalidAction.NotFound", 404),
        ("DescribeRegions", "2099-12-31", "InvalidVersion", 400),
    ],
)
def test_routing_errors_through_the_tea_runtime(
    world: World, action: str, version: str, code: str, status: int
) -> None:
    who = world.account()
    kind, got_code, got_status, request_id = _raised(lambda: _generic(world, who, action, version))
    assert (kind, got_code, got_status) == (ClientException, code, status)
    assert request_id
