"""RAM authorisation end to end: policies made with the official RAM SDK decide what RAM users
and role sessions may do through the SWAS, ECS and STS SDKs."""

from __future__ import annotations

from datetime import timedelta
from functools import partial
from typing import Any

import pytest
from alibabacloud_swas_open20200601 import models as swas
from sqlalchemy import update
from support import ram, raw
from support.errors import old_error, tea_error
from support.swas import REGION, custom_image, share_users, unique
from support.world import AccountKeys, World

from imageshare.domain.times import utcnow
from imageshare.store.tables import security_tokens


def _add_share(world: World, who: AccountKeys, image_id: str, account: int) -> object:
    request = swas.AddCustomImageShareAccountRequest(
        region_id=REGION, image_id=image_id, account=[account]
    )
    return world.swas(who).add_custom_image_share_account(request)


def _remove_share(world: World, who: AccountKeys, image_id: str, account: int) -> object:
    request = swas.RemoveCustomImageShareAccountRequest(
        region_id=REGION, image_id=image_id, account=[account]
    )
    return world.swas(who).remove_custom_image_share_account(request)


def test_a_policy_for_one_image_allows_exactly_that(world: World) -> None:
    owner, friend = world.account(), world.account()
    allowed, other = custom_image(world, owner), custom_image(world, owner)
    policy = ram.document(
        ram.allow("swas-open:AddCustomImageShareAccount", ram.swas_image_arn(owner.id, allowed))
    )
    user_name, alice = ram.user(world, owner, custom=(policy,))

    _add_share(world, alice, allowed, friend.id)
    assert share_users(world, owner, allowed) == [friend.id]

    denied = tea_error(lambda: _add_share(world, alice, other, friend.id))
    assert (denied.code, denied.status) == ("Forbidden.RAM", 403)
    detail = denied.data["AccessDeniedDetail"]
    assert detail["AuthAction"] == "swas-open:AddCustomImageShareAccount"
    assert detail["AuthPrincipalType"] == "SubUser"
    assert detail["AuthPrincipalOwnerId"] == str(owner.id)
    assert detail["NoPermissionType"] == "ImplicitDeny"
    assert share_users(world, owner, other) == []

    removal = tea_error(lambda: _remove_share(world, alice, allowed, friend.id))
    assert removal.code == "Forbidden.RAM"
    assert removal.data["AccessDeniedDetail"]["AuthAction"].endswith(
        "RemoveCustomImageShareAccount"
    )
    assert share_users(world, owner, allowed) == [friend.id], "a denied call changes nothing"


def test_the_denied_user_is_named_by_its_user_id(world: World) -> None:
    owner = world.account()
    user_name, alice = ram.user(world, owner)
    denied = tea_error(lambda: world.swas(alice).list_regions(swas.ListRegionsRequest()))
    from alibabacloud_ram20150501 import models as ram_models

    user = world.ram(owner).get_user(ram_models.GetUserRequest(user_name=user_name)).body.user
    assert denied.data["AccessDeniedDetail"]["AuthPrincipalDisplayName"] == user.user_id


def test_explicit_deny_beats_administrator_access(world: World) -> None:
    owner, friend = world.account(), world.account()
    image_id = custom_image(world, owner)
    no_sharing = ram.document(ram.deny("swas-open:*CustomImageShareAccount"))
    _, admin = ram.user(world, owner, custom=(no_sharing,), system=("AdministratorAccess",))

    error = tea_error(lambda: _add_share(world, admin, image_id, friend.id))
    assert error.data["AccessDeniedDetail"]["NoPermissionType"] == "ExplicitDeny"
    regions = world.swas(admin).list_regions(swas.ListRegionsRequest()).body.regions
    assert regions, "everything the Deny does not name is still allowed"


def test_root_needs_no_policy_and_users_start_with_none(world: World) -> None:
    owner = world.account()
    assert world.swas(owner).list_regions(swas.ListRegionsRequest()).body.regions
    _, nobody = ram.user(world, owner)
    error = tea_error(lambda: world.swas(nobody).list_regions(swas.ListRegionsRequest()))
    assert (error.code, error.status) == ("Forbidden.RAM", 403)


def test_a_group_policy_applies_to_its_members(world: World) -> None:
    from alibabacloud_ram20150501 import models as ram_models

    owner = world.account()
    user_name, member = ram.user(world, owner)
    client, group = world.ram(owner), ram.name("group")
    client.create_group(ram_models.CreateGroupRequest(group_name=group))
    client.add_user_to_group(
        ram_models.AddUserToGroupRequest(group_name=group, user_name=user_name)
    )
    client.attach_policy_to_group(
        ram_models.AttachPolicyToGroupRequest(
            policy_type="System", policy_name="AliyunSWASReadOnlyAccess", group_name=group
        )
    )
    assert world.swas(member).list_regions(swas.ListRegionsRequest()).body.regions
    request = swas.CreateInstancesRequest(region_id=REGION, image_id="x", plan_id="y", period=1)
    error = tea_error(lambda: world.swas(member).create_instances(request))
    assert error.code == "Forbidden.RAM", "read-only means no writes"


def test_a_condition_met_allows_the_call(world: World) -> None:
    from_here = ram.allow(
        "swas-open:ListRegions", Condition={"IpAddress": {"acs:SourceIp": "127.0.0.0/8"}}
    )
    _, local = ram.user(world, world.account(), custom=(ram.document(from_here),))
    assert world.swas(local).list_regions(swas.ListRegionsRequest()).body.regions


# Conditions a local plain-HTTP client does not meet, by what they ask for.
UNMET = {
    "an address elsewhere": {"IpAddress": {"acs:SourceIp": "10.0.0.0/8"}},
    "HTTPS": {"Bool": {"acs:SecureTransport": "true"}},
}


def _conditioned(world: World, condition: dict[str, Any]) -> AccountKeys:
    statement = ram.allow("swas-open:ListRegions", Condition=condition)
    _, user = ram.user(world, world.account(), custom=(ram.document(statement),))
    return user


@pytest.mark.parametrize("condition", list(UNMET.values()), ids=list(UNMET))
def test_conditions_see_the_source_ip_and_transport(
    world: World, condition: dict[str, Any]
) -> None:
    user = _conditioned(world, condition)
    error = tea_error(partial(world.swas(user).list_regions, swas.ListRegionsRequest()))
    assert error.code == "Forbidden.RAM"


@pytest.mark.parametrize("condition", list(UNMET.values()), ids=list(UNMET))
def test_forwarded_headers_cannot_satisfy_conditions(
    world: World, condition: dict[str, Any]
) -> None:
    """uvicorn trusts X-Forwarded-* from 127.0.0.1 unless told otherwise; imageshare turns that
    off unless `serve --forwarded-allow-ips` names proxies, so a local client cannot forge the
    address or scheme a RAM condition reads."""
    user = _conditioned(world, condition)
    forged = {"x-forwarded-for": "10.1.2.3", "x-forwarded-proto": "https"}
    headers = raw.acs3_headers(
        world.endpoint, user.key_id, user.secret, "ListRegions", "2020-06-01", [], **forged
    )
    reply = raw.send(world.endpoint, [], headers)
    assert (reply.status, reply.body["Code"]) == (403, "Forbidden.RAM"), reply.body


def test_another_accounts_policies_grant_nothing(world: World) -> None:
    owner, friend = world.account(), world.account()
    image_id = custom_image(world, owner)
    # The owner's user may share the owner's image; a user of the friend's account with
    # every permission in its own account still cannot touch the owner's image.
    _, admin_elsewhere = ram.user(world, friend, system=("AdministratorAccess",))
    error = tea_error(lambda: _add_share(world, admin_elsewhere, image_id, owner.id))
    assert error.code == "InvalidImageId.NotFound"


def test_a_recipient_user_needs_its_own_accounts_permission(world: World) -> None:
    owner, friend = world.account(), world.account()
    image_id = custom_image(world, owner)
    _add_share(world, owner, image_id, friend.id)
    listing = swas.ListCustomImagesRequest(region_id=REGION, image_ids=f'["{image_id}"]')

    _, reader = ram.user(world, friend, system=("AliyunSWASReadOnlyAccess",))
    seen = world.swas(reader).list_custom_images(listing).body.custom_images
    assert [image.image_id for image in seen] == [image_id]

    _, stranger = ram.user(world, friend)
    error = tea_error(lambda: world.swas(stranger).list_custom_images(listing))
    assert error.code == "Forbidden.RAM"


def test_a_role_session_works_until_it_expires(world: World) -> None:
    owner, friend = world.account(), world.account()
    image_id = custom_image(world, owner)
    _, caller = ram.user(world, owner, system=("AliyunSTSAssumeRoleAccess",))
    role_arn = ram.role(
        world, owner, ram.trust(f"acs:ram::{owner.id}:root"), "AliyunSWASFullAccess"
    )
    session = ram.session(world, caller, role_arn)
    assert session.key_id.startswith("STS.")

    _add_share(world, session, image_id, friend.id)  # tea SDK: x-acs-security-token header
    assert share_users(world, owner, image_id) == [friend.id]
    from aliyunsdkswas_open.request.v20200601.ListCustomImagesRequest import (
        ListCustomImagesRequest,
    )

    old = ListCustomImagesRequest()
    old.set_endpoint("127.0.0.1")
    old.set_protocol_type("http")
    assert image_id in world.old(session).do_action_with_exception(old).decode()  # SecurityToken

    with world.store.transaction(write=True) as conn:
        past = utcnow() - timedelta(seconds=1)
        conn.execute(
            update(security_tokens)
            .where(security_tokens.c.access_key_id == session.key_id)
            .values(expires_at=past)
        )
    error = tea_error(lambda: _remove_share(world, session, image_id, friend.id))
    assert (error.code, error.status) == ("InvalidSecurityToken.Expired", 400)
    assert old_error(lambda: world.old(session).do_action_with_exception(old)).code == (
        "InvalidSecurityToken.Expired"
    )


def test_a_session_policy_narrows_the_role(world: World) -> None:
    owner = world.account()
    _, caller = ram.user(world, owner, system=("AliyunSTSAssumeRoleAccess",))
    role_arn = ram.role(world, owner, ram.trust(f"acs:ram::{owner.id}:root"), "AdministratorAccess")
    narrow = ram.document(ram.allow("swas-open:ListRegions"))
    session = ram.session(world, caller, role_arn, policy=narrow)

    assert world.swas(session).list_regions(swas.ListRegionsRequest()).body.regions
    listing = swas.ListCustomImagesRequest(region_id=REGION)
    error = tea_error(lambda: world.swas(session).list_custom_images(listing))
    assert error.code == "Forbidden.RAM"
    detail = error.data["AccessDeniedDetail"]
    assert detail["AuthPrincipalType"] == "AssumedRoleUser"
    assert detail["AuthPrincipalDisplayName"].endswith(":" + session_name_of(world, session))


def session_name_of(world: World, session: AccountKeys) -> str:
    arn: str = world.sts(session).get_caller_identity().body.arn
    return arn.rsplit("/", 1)[1]


def test_the_trust_policy_decides_who_may_assume(world: World) -> None:
    owner = world.account()
    _, trusted = ram.user(world, owner, system=("AliyunSTSAssumeRoleAccess",))
    untrusted_name, untrusted = ram.user(world, owner, system=("AliyunSTSAssumeRoleAccess",))
    trusted_arn = world.sts(trusted).get_caller_identity().body.arn
    role_arn = ram.role(world, owner, ram.trust(trusted_arn), "AliyunSWASFullAccess")

    assert ram.session(world, trusted, role_arn).security_token
    error = tea_error(lambda: ram.session(world, untrusted, role_arn))
    assert (error.code, error.status) == ("NoPermission", 403)

    _, no_sts = ram.user(world, owner)  # trusted by the role, but not allowed sts:AssumeRole
    role_for_all = ram.role(world, owner, ram.trust(f"acs:ram::{owner.id}:root"))
    error = tea_error(lambda: ram.session(world, no_sts, role_for_all))
    assert error.code == "NoPermission"
    assert error.data["AccessDeniedDetail"]["AuthAction"] == "sts:AssumeRole"
    assert untrusted_name


def test_roles_may_not_be_assumed_by_root(world: World) -> None:
    owner = world.account()
    role_arn = ram.role(world, owner, ram.trust(f"acs:ram::{owner.id}:root"))
    error = tea_error(lambda: ram.session(world, owner, role_arn))
    assert (error.code, error.status) == ("NoPermission", 403)
    assert "root" in error.message


def test_a_role_can_be_assumed_across_accounts(world: World) -> None:
    owner, partner = world.account(), world.account()
    image_id = custom_image(world, owner, name=unique("shared"))
    role_arn = ram.role(
        world, owner, ram.trust(f"acs:ram::{partner.id}:root"), "AliyunSWASReadOnlyAccess"
    )
    _, partner_user = ram.user(world, partner, system=("AliyunSTSAssumeRoleAccess",))
    session = ram.session(world, partner_user, role_arn)
    identity = world.sts(session).get_caller_identity().body
    assert identity.account_id == str(owner.id)
    listing = swas.ListCustomImagesRequest(region_id=REGION)
    seen = world.swas(session).list_custom_images(listing).body.custom_images
    assert image_id in [image.image_id for image in seen]
