"""Every common gateway error, through the SDKs where they can cause it and by hand elsewhere:
documented code, HTTP status, a RequestId, and a message that says what is wrong."""

from __future__ import annotations

import secrets

import pytest
from alibabacloud_ecd20200930 import models as ecd
from alibabacloud_swas_open20200601 import models as swas
from aliyunsdkcore.request import CommonRequest
from aliyunsdkswas_open.request.v20200601.ListRegionsRequest import ListRegionsRequest
from support import raw
from support.errors import old_error, tea_error
from support.world import AccountKeys, World

from imageshare.services.accounts import set_key_status


def _common(world: World, who: AccountKeys, version: str, action: str) -> CommonRequest:
    request = CommonRequest(domain="127.0.0.1", version=version, action_name=action)
    request.set_protocol_type("http")
    request.set_method("POST")
    return request


def test_missing_parameter_tea(world: World) -> None:
    client = world.ecd(world.account())
    error = tea_error(lambda: client.describe_regions(ecd.DescribeRegionsRequest()))
    assert (error.code, error.status) == ("MissingParameter", 400)
    assert '"RegionId"' in error.message


def test_invalid_parameter_old_sdk(world: World) -> None:
    who = world.account()
    # A declared list (SWAS ListCustomImages takes Tag.N): an unknown one would be ignored.
    request = _common(world, who, "2020-06-01", "ListCustomImages")
    request.add_query_param("RegionId", "cn-hangzhou")
    request.add_query_param("Tag.0.Key", "team")
    error = old_error(lambda: world.old(who).do_action_with_exception(request))
    assert (error.code, error.status) == ("InvalidParameter", 400)
    assert '"Tag.0.Key"' in error.message


def test_unknown_access_key(world: World) -> None:
    ghost = AccountKeys(1000000000000001, "china", "LTAInotakey0000000000000", "secret")
    error = tea_error(lambda: world.swas(ghost).list_regions(swas.ListRegionsRequest()))
    assert (error.code, error.status) == ("InvalidAccessKeyId.NotFound", 404)
    request = _common(world, ghost, "2014-05-26", "DescribeRegions")
    error = old_error(lambda: world.old(ghost).do_action_with_exception(request))
    assert (error.code, error.status) == ("InvalidAccessKeyId.NotFound", 404)


def test_disabled_access_key(world: World) -> None:
    who = world.account()
    with world.store.unit_of_work(write=True) as uow:
        set_key_status(uow, who.key_id, active=False)
        uow.commit()
    error = tea_error(lambda: world.swas(who).list_regions(swas.ListRegionsRequest()))
    assert (error.code, error.status) == ("InvalidAccessKeyId.Inactive", 400)


def test_wrong_secret_tea_shows_server_string_to_sign(world: World) -> None:
    who = world.account()
    wrong = AccountKeys(who.id, who.site, who.key_id, "not-the-secret")
    error = tea_error(lambda: world.swas(wrong).list_regions(swas.ListRegionsRequest()))
    assert (error.code, error.status) == ("SignatureDoesNotMatch", 400)
    assert "server string to sign is:ACS3-HMAC-SHA256\n" in error.message


def test_wrong_secret_old_sdk_recognises_the_string_to_sign(world: World) -> None:
    # The old SDK compares Message.split(":")[1] with its own string to sign and, when they
    # agree, reports the real cause: a wrong secret. That needs the colon and the exact string.
    who = world.account()
    wrong = AccountKeys(who.id, who.site, who.key_id, "not-the-secret")
    request = ListRegionsRequest()
    request.set_endpoint("127.0.0.1")
    request.set_protocol_type("http")
    error = old_error(lambda: world.old(wrong).do_action_with_exception(request))
    assert (error.code, error.status) == ("InvalidAccessKeySecret", 400)


def test_incomplete_signature(world: World) -> None:
    who = world.account()
    headers = raw.acs3_headers(
        world.endpoint, who.key_id, who.secret, "ListRegions", "2020-06-01", []
    )
    headers["authorization"] = f"ACS3-HMAC-SHA256 Credential={who.key_id},Signature=00"
    reply = raw.send(world.endpoint, [], headers)
    assert (reply.status, reply.body["Code"]) == (400, "IncompleteSignature")
    assert "SignedHeaders" in reply.body["Message"]


def test_unsigned_nonce_header_is_incomplete(world: World) -> None:
    who = world.account()
    headers = raw.acs3_headers(
        world.endpoint, who.key_id, who.secret, "ListRegions", "2020-06-01", []
    )
    headers["authorization"] = headers["authorization"].replace("x-acs-signature-nonce;", "")
    reply = raw.send(world.endpoint, [], headers)
    assert (reply.status, reply.body["Code"]) == (400, "IncompleteSignature")


def test_unsupported_signature_algorithm(world: World) -> None:
    client = world.swas(world.account(), signature_algorithm="ACS3-HMAC-SM3")
    error = tea_error(lambda: client.list_regions(swas.ListRegionsRequest()))
    assert (error.code, error.status) == ("InvalidSignatureMethod", 400)


def test_unsupported_rpc_signature_method(world: World) -> None:
    who = world.account()
    query = raw.rpc_params(
        who.key_id, who.secret, "DescribeRegions", "2014-05-26", [], SignatureMethod="HMAC-MD5"
    )
    reply = raw.send(world.endpoint, query)
    assert (reply.status, reply.body["Code"]) == (400, "InvalidSignatureMethod")


def test_replayed_nonce_both_schemes(world: World) -> None:
    who = world.account()
    headers = raw.acs3_headers(
        world.endpoint, who.key_id, who.secret, "ListRegions", "2020-06-01", []
    )
    assert raw.send(world.endpoint, [], headers).status == 200
    replay = raw.send(world.endpoint, [], headers)
    assert (replay.status, replay.body["Code"]) == (400, "SignatureNonceUsed")

    query = raw.rpc_params(who.key_id, who.secret, "DescribeRegions", "2014-05-26", [])
    assert raw.send(world.endpoint, query).status == 200
    assert raw.send(world.endpoint, query).body["Code"] == "SignatureNonceUsed"


def test_a_read_that_fails_after_authentication_has_used_its_nonce(world: World) -> None:
    """As at the real gateway: only a request refused before its signature was checked
    leaves its nonce free (on PostgreSQL a read's statements commit one by one)."""
    who = world.account()
    query = [("RegionId", "cn-hangzhou"), ("ImageId", "m-doesnotexist000000")]
    nonce = secrets.token_hex(16)

    def send(secret: str) -> raw.RawReply:
        headers = raw.acs3_headers(
            world.endpoint, who.key_id, secret, "ListCustomImageShareAccounts", "2020-06-01",
            query, **{"x-acs-signature-nonce": nonce},
        )  # fmt: skip
        return raw.send(world.endpoint, query, headers)

    assert send("not-the-secret").body["Code"] == "SignatureDoesNotMatch"
    assert send(who.secret).body["Code"] == "InvalidImageId.NotFound"  # the nonce was free
    assert send(who.secret).body["Code"] == "SignatureNonceUsed"


def _stamped(world: World, who: AccountKeys, offset: int) -> raw.RawReply:
    headers = raw.acs3_headers(
        world.endpoint, who.key_id, who.secret, "ListRegions", "2020-06-01", [],
        **{"x-acs-date": raw.now_stamp(offset)},
    )  # fmt: skip
    return raw.send(world.endpoint, [], headers)


@pytest.mark.parametrize("offset", [-16 * 60, 16 * 60], ids=["16 minutes old", "16 minutes ahead"])
def test_stale_and_future_timestamps(world: World, offset: int) -> None:
    reply = _stamped(world, world.account(), offset)
    assert (reply.status, reply.body["Code"]) == (400, "InvalidTimeStamp.Expired")


def test_a_timestamp_14_minutes_old_is_fresh(world: World) -> None:
    assert _stamped(world, world.account(), -14 * 60).status == 200


def test_malformed_timestamp(world: World) -> None:
    who = world.account()
    query = raw.rpc_params(
        who.key_id, who.secret, "DescribeRegions", "2014-05-26", [], Timestamp="2026-11-23 10:00"
    )
    reply = raw.send(world.endpoint, query)
    assert (reply.status, reply.body["Code"]) == (400, "InvalidTimeStamp.Format")


def test_unknown_action(world: World) -> None:
    who = world.account()
    request = _common(world, who, "2020-06-01", "DescribeTheMoon")
    error = old_error(lambda: world.old(who).do_action_with_exception(request))
    assert (error.code, error.status) == ("InvalidAction.NotFound", 404)
    # ECD's DescribeRegions is not an ECS action: routing is on (Version, Action).
    request = _common(world, who, "2020-06-01", "DescribeRegions")
    error = old_error(lambda: world.old(who).do_action_with_exception(request))
    assert error.code == "InvalidAction.NotFound"


def test_unknown_version(world: World) -> None:
    who = world.account()
    request = _common(world, who, "2099-01-01", "DescribeRegions")
    error = old_error(lambda: world.old(who).do_action_with_exception(request))
    assert (error.code, error.status) == ("InvalidVersion", 400)


def test_unknown_security_token(world: World) -> None:
    who = world.account()
    sts = AccountKeys(who.id, who.site, "STS.NotIssuedByUs", "secret")
    client = world.swas(sts, security_token="CAIS-not-a-token")
    error = tea_error(lambda: client.list_regions(swas.ListRegionsRequest()))
    assert (error.code, error.status) == ("InvalidSecurityToken.Malformed", 400)


def test_error_body_shape(world: World) -> None:
    reply = raw.send(world.endpoint, [("Action", "ListRegions"), ("Version", "2020-06-01")])
    assert set(reply.body) == {"RequestId", "HostId", "Code", "Message", "Recommend"}
    assert reply.body["Code"] == "MissingParameter"
    assert reply.headers["x-acs-request-id"] == reply.body["RequestId"]
    assert reply.headers["content-type"].startswith("application/json")
    assert reply.body["HostId"] == "swas.cn-hangzhou.aliyuncs.com"
    assert reply.body["RequestId"] in reply.body["Recommend"]
