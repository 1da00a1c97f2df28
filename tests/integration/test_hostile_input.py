"""Every reproduction of issue 19's hostile input, on both databases, through real HTTP: each
answers its documented 4xx error naming the parameter (or is ignored, where the gateway
ignores it), and nothing is stored."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from support import hostile
from support.world import AccountKeys, World

from imageshare.api.all import build_registry
from imageshare.services import state

REGISTRY = build_registry()
SWAS, ECD, ECS, RAM = "2020-06-01", "2020-09-30", "2014-05-26", "2015-05-01"
LONG_MAX = "9223372036854775807"
PAST_LONG = "9223372036854775808"


def call(
    world: World,
    who: AccountKeys,
    version: str,
    action: str,
    params: dict[str, str],
    *,
    scheme: str = "RPC",
    in_body: bool = True,
    common: dict[str, str] | None = None,
) -> tuple[int, dict[str, Any]]:
    plan = hostile.Plan(
        REGISTRY.lookup(version, action),
        scheme,
        in_body,
        list(params.items()),
        tuple((common or {}).items()),
    )
    reply = hostile.send(world.endpoint, who.key_id, who.secret, plan)
    body = hostile.well_formed_error(reply)
    return reply.status, body


def refused(reply: tuple[int, dict[str, Any]], code: str, name: str | None = None) -> None:
    status, body = reply
    assert (status, body.get("Code")) == (400, code), body
    if name is not None:
        assert f'"{name}"' in body["Message"], body["Message"]


@pytest.fixture(scope="module")
def server(own_server: World) -> World:
    """Every case compares the whole state before and after: a server of this module's own
    keeps that state small."""
    return own_server


@pytest.fixture(scope="module")
def owner(server: World) -> AccountKeys:
    return server.account()


@pytest.fixture(scope="module")
def image(server: World, owner: AccountKeys) -> str:
    return server.swas_image(owner).id


def _rows(world: World) -> Any:
    """Every table but the audit trail, which records refused calls too (as ActionTrail does)."""
    tables = state.export(world.store)["tables"]
    return {name: rows for name, rows in tables.items() if name != "trail_events"}


R = {"RegionId": "cn-hangzhou"}

LIST = (SWAS, "ListCustomImages")
SHARE_ID = {**R, "ImageId": "m-x"}
CREATE_POLICY = {"PolicyName": "p1", "PolicyDocument": "{}"}

# A cursor naming an image id with a NUL: it must not reach the store (PostgreSQL: a 500).
FORGED_CURSOR = base64.urlsafe_b64encode(b"2026-01-01T00:00:00|m-\x00").decode().rstrip("=")

# (version, action, parameters, the parameter InvalidParameter names)
REFUSED: list[tuple[str, str, dict[str, str], str]] = [
    (SWAS, "ListCustomImageShareAccounts", {**R, "ImageId": "m-\x00"}, "ImageId"),
    (*LIST, {**R, "ClientToken": "\x00"}, "ClientToken"),
    (RAM, "ListUsers", {"Marker": "a\x00"}, "Marker"),
    (RAM, "CreateUser", {"UserName": "u1", "DisplayName": "d" * 129}, "DisplayName"),
    (RAM, "CreateUser", {"UserName": "u2", "Comments": "c" * 129}, "Comments"),
    (RAM, "CreateGroup", {"GroupName": "g1", "Comments": "c" * 129}, "Comments"),
    (RAM, "CreatePolicy", {**CREATE_POLICY, "Description": "d" * 1025}, "Description"),
    (*LIST, {**R, "ResourceGroupId": "r" * 65}, "ResourceGroupId"),
    (*LIST, {**R, "PageNumber": "1" + "0" * 25}, "PageNumber"),
    (*LIST, {**R, "PageSize": "1_0"}, "PageSize"),
    (*LIST, {**R, "PageSize": " 5 "}, "PageSize"),
    (*LIST, {**R, "PageSize": "2.0"}, "PageSize"),
    (*LIST, {**R, "PageSize": "+5"}, "PageSize"),
    (*LIST, {**R, "Share": "yes"}, "Share"),
    (*LIST, {**R, "ImageIds": "[" * 1000}, "ImageIds"),
    (*LIST, {**R, "ImageIds": '["m-\\u0000"]'}, "ImageIds"),
    (SWAS, "DeleteCustomImages", {**R, "ImageIds": ""}, "ImageIds"),
    (SWAS, "AddCustomImageShareAccount", {**SHARE_ID, "Account.1": PAST_LONG}, "Account.1"),
    (SWAS, "RemoveCustomImageShareAccount", {**SHARE_ID, "Account.1": PAST_LONG}, "Account.1"),
    (
        SWAS,
        "AddCustomImageShareAccount",
        {**SHARE_ID, "Account.01": "1000000000000001"},
        "Account.01",
    ),
    (ECD, "ModifyImagePermission", {**SHARE_ID, "AddAccount.1": PAST_LONG}, "AddAccount.1"),
    (ECD, "DescribeImages", {**R, "NextToken": FORGED_CURSOR}, "NextToken"),
    (ECS, "DescribeInstances", {**R, "InstanceIds": "[" * 1000}, "InstanceIds"),
    (ECS, "DescribeDisks", {**R, "DiskIds": "[" * 1000}, "DiskIds"),
    (ECS, "DescribeSnapshots", {**R, "SnapshotIds": "[" * 1000}, "SnapshotIds"),
    (
        ECD,
        "ModifyImagePermission",
        {**SHARE_ID, "AddAccount.1": "-9223372036854775809"},
        "AddAccount.1",
    ),
]


@pytest.mark.parametrize(("version", "action", "params", "name"), REFUSED)
@pytest.mark.parametrize("scheme", ["RPC", "ACS3"])
def test_hostile_parameter_is_refused_and_nothing_is_stored(
    world: World,
    owner: AccountKeys,
    scheme: str,
    version: str,
    action: str,
    params: dict[str, str],
    name: str,
) -> None:
    before = _rows(world)
    refused(call(world, owner, version, action, params, scheme=scheme), "InvalidParameter", name)
    assert _rows(world) == before


def test_policy_document_of_5000_digits_is_malformed(world: World, owner: AccountKeys) -> None:
    document = '{"Version":"1","Statement":[{"Effect":"Allow","Action":"*","Resource":%s}]}'
    params = {"PolicyName": "digits", "PolicyDocument": document % ("1" * 5000)}
    refused(call(world, owner, RAM, "CreatePolicy", params), "MalformedPolicyDocument")


INT_MAX = "2147483647"  # ECS declares PageNumber an Integer
# (version, action, parameters, the largest PageNumber the action takes)
PAGED = [
    (SWAS, "ListCustomImages", R, LONG_MAX),
    (SWAS, "ListCustomImageShareAccounts", {**R, "ImageId": "m-x"}, LONG_MAX),
    (SWAS, "ListInstances", R, LONG_MAX),
    (SWAS, "ListDisks", R, LONG_MAX),
    (SWAS, "ListSnapshots", R, LONG_MAX),
    (ECS, "DescribeImages", R, INT_MAX),
]


@pytest.mark.parametrize(("version", "action", "params", "largest"), PAGED)
def test_largest_page_number_is_an_empty_page(
    world: World,
    owner: AccountKeys,
    image: str,
    version: str,
    action: str,
    params: dict[str, str],
    largest: str,
) -> None:
    if "ImageId" in params:
        params = {**params, "ImageId": image}
    status, body = call(world, owner, version, action, {**params, "PageNumber": largest})
    assert status == 200, body
    assert int(body["TotalCount"]) >= 0


# A numeric NextToken this server did not issue starts at the first page: "²" is a digit to
# str.isdigit but not to int.
FORGED_TOKENS = ["²", "٥", "x"]
TOKEN_PAGED = [
    (ECD, "DescribeDesktops", {**R, "MaxResults": "10"}),
    (ECS, "ListTagResources", {**R, "ResourceType": "image"}),
]


@pytest.mark.parametrize("token", FORGED_TOKENS)
@pytest.mark.parametrize(("version", "action", "params"), TOKEN_PAGED)
def test_a_forged_next_token_is_the_first_page(
    world: World, owner: AccountKeys, version: str, action: str, params: dict[str, str], token: str
) -> None:
    status, first = call(world, owner, version, action, params)
    assert status == 200, first
    status, body = call(world, owner, version, action, {**params, "NextToken": token})
    assert status == 200, body
    assert {**body, "RequestId": ""} == {**first, "RequestId": ""}


def test_a_numeric_next_token_past_64_bits_is_past_the_end(
    world: World, owner: AccountKeys
) -> None:
    world.ecd_desktop(owner)
    params = {**R, "MaxResults": "10", "NextToken": "9" * 30}
    status, body = call(world, owner, ECD, "DescribeDesktops", params)
    assert (status, body["Desktops"]) == (200, []), body


def test_unknown_parameters_are_ignored_whatever_their_shape(
    world: World, owner: AccountKeys
) -> None:
    shapes = {"X" + ".1" * 500: "v", "Y": "1", "Y.1": "2", "Z.01": "a", "W.0.Key": "\x00"}
    status, body = call(world, owner, SWAS, "ListCustomImages", {**R, **shapes})
    assert status == 200, body


COMMON: list[tuple[dict[str, str], int, str]] = [
    ({"AccessKeyId": "LTAI\x00x"}, 404, "InvalidAccessKeyId.NotFound"),
    ({"AccessKeyId": "k" * 129}, 404, "InvalidAccessKeyId.NotFound"),
    ({"SignatureNonce": "n\x00"}, 400, "InvalidParameter"),
    ({"SignatureNonce": "n" * 129}, 400, "InvalidParameter"),
    ({"SignatureNonce": "n" * 1_000_008}, 400, "InvalidParameter"),
    ({"SecurityToken": "t\x00"}, 400, "InvalidSecurityToken.Malformed"),
]


@pytest.mark.parametrize(("common", "status", "code"), COMMON)
def test_hostile_common_parameter_never_reaches_the_store(
    world: World, owner: AccountKeys, common: dict[str, str], status: int, code: str
) -> None:
    reply = call(world, owner, SWAS, "ListRegions", {}, common=common)
    assert (reply[0], reply[1]["Code"]) == (status, code), reply


def test_nonce_limit_is_named_for_acs3(world: World, owner: AccountKeys) -> None:
    reply = call(
        world, owner, SWAS, "ListRegions", {}, scheme="ACS3", common={"SignatureNonce": "n" * 129}
    )
    refused(reply, "InvalidParameter", "x-acs-signature-nonce")


@pytest.mark.parametrize("share", ["true", "True", "false", "False"])
def test_accepted_spellings_still_work(world: World, owner: AccountKeys, share: str) -> None:
    status, body = call(
        world, owner, SWAS, "ListCustomImages", {**R, "Share": share, "PageSize": "007"}
    )
    assert status == 200, body
    assert body["PageSize"] == "7"
    assert json.dumps(body)
