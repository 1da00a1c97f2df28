"""The documented example world, loaded and served on SQLite and PostgreSQL: every account,
key, RAM entry, image and share it declares is real to the official SDKs."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from alibabacloud_ecd20200930 import models as ecd
from alibabacloud_ecs20140526 import models as ecs
from alibabacloud_ram20150501 import models as ram
from alibabacloud_sts20150401 import models as sts
from alibabacloud_swas_open20200601 import models as swas
from support.databases import migrated_database_url
from support.errors import tea_error
from support.server import running_server
from support.world import AccountKeys, World
from world_support import docs_world, load_text

from imageshare.world import LoadedAccount, LoadedWorld

ACME, GLOBEX = 1000000000000001, 1000000000000002
GOLDEN_WEB, DESIGNER_GOLDEN = "m-acmegoldenweb0000001", "m-acmedesigner00001"


@dataclass(frozen=True)
class Served:
    world: World
    loaded: LoadedWorld

    def account(self, name: str) -> LoadedAccount:
        return next(a for a in self.loaded.accounts if a.name == name)

    def keys(self, name: str, user: str | None = None) -> AccountKeys:
        """The keys of an account's root (or of one of its RAM users) as the world declared."""
        account = self.account(name)
        key = next(k for k in account.keys if k.user == user)
        return AccountKeys(account.id, account.site, key.id, key.secret)


@pytest.fixture(scope="module")
def served(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    tmp = tmp_path_factory.mktemp(f"world-{backend}")
    with migrated_database_url(backend, str(tmp)) as url, running_server(url) as (endpoint, store):
        loaded = load_text(store, docs_world())
        yield Served(World(endpoint, store), loaded)


def _swas_images(served: Served, who: AccountKeys) -> dict[str, str]:
    request = swas.ListCustomImagesRequest(region_id="cn-hangzhou", page_size=50)
    body = served.world.swas(who).list_custom_images(request).body
    return {image.name: image.image_id for image in body.custom_images}


def _ecd_images(served: Served, who: AccountKeys) -> dict[str, str]:
    request = ecd.DescribeImagesRequest(region_id="cn-shanghai", image_type="CUSTOM")
    body = served.world.ecd(who, region_id="cn-shanghai").describe_images(request).body
    return {image.name: image.image_id for image in body.images}


def test_accounts_have_the_declared_ids_sites_and_keys(served: Served) -> None:
    assert [(a.name, a.site) for a in served.loaded.accounts] == [
        ("acme", "china"), ("globex", "china"), ("initech", "international"),
    ]  # fmt: skip
    assert (served.account("acme").id, served.account("globex").id) == (ACME, GLOBEX)
    assert served.keys("acme").key_id == "LTAIacme0000000000000001"
    initech = served.account("initech")
    assert len(initech.keys) == 1 and initech.keys[0].id.startswith("LTAI")
    # Every key, declared or generated, signs requests; the caller is who the world says.
    for name in ("acme", "globex", "initech"):
        who = served.keys(name)
        identity = served.world.sts(who).get_caller_identity().body
        assert identity.account_id == str(who.id)


def test_declared_images_and_fixed_ids(served: Served) -> None:
    acme = served.keys("acme")
    images = _swas_images(served, acme)
    assert set(images) == {"golden-web", "golden-web-ecs"}
    assert images["golden-web"] == GOLDEN_WEB
    request = ecs.DescribeImagesRequest(region_id="cn-hangzhou", image_owner_alias="self")
    in_ecs = served.world.ecs(acme).describe_images(request).body.images.image
    assert [image.image_id for image in in_ecs] == [images["golden-web-ecs"]]
    assert _ecd_images(served, acme) == {"designer-golden": DESIGNER_GOLDEN}


def test_shares_show_in_the_recipients_listings(served: Served) -> None:
    acme, globex, initech = (served.keys(n) for n in ("acme", "globex", "initech"))
    assert _swas_images(served, globex) == {"golden-web": GOLDEN_WEB}
    assert _swas_images(served, initech) == {}
    listed = served.world.swas(acme).list_custom_image_share_accounts(
        swas.ListCustomImageShareAccountsRequest(region_id="cn-hangzhou", image_id=GOLDEN_WEB)
    )
    assert [user.user_id for user in listed.body.image_share_users] == [GLOBEX]
    # ECD shares across sites: the international account sees it too.
    assert _ecd_images(served, globex) == {"designer-golden": DESIGNER_GOLDEN}
    assert _ecd_images(served, initech) == {"designer-golden": DESIGNER_GOLDEN}
    permission = served.world.ecd(acme, region_id="cn-shanghai").describe_image_permission(
        ecd.DescribeImagePermissionRequest(region_id="cn-shanghai", image_id=DESIGNER_GOLDEN)
    )
    assert permission.body.ali_uids == [str(GLOBEX), str(initech.id)]


def test_ram_users_may_do_exactly_what_their_policies_say(served: Served) -> None:
    bot, auditor = served.keys("acme", "release-bot"), served.keys("acme", "auditor")
    assert set(_swas_images(served, bot)) == {"golden-web", "golden-web-ecs"}
    unshare = swas.RemoveCustomImageShareAccountRequest(
        region_id="cn-hangzhou", image_id=GOLDEN_WEB, account=[GLOBEX]
    )
    denied = tea_error(lambda: served.world.swas(bot).remove_custom_image_share_account(unshare))
    assert (denied.code, denied.status) == ("Forbidden.RAM", 403)
    assert tea_error(lambda: _ecd_images(served, bot)).code == "Forbidden.RAM"
    # The auditor reads SWAS by its own policy and ECD through its group's.
    assert set(_swas_images(served, auditor)) == {"golden-web", "golden-web-ecs"}
    assert _ecd_images(served, auditor) == {"designer-golden": DESIGNER_GOLDEN}
    share = swas.AddCustomImageShareAccountRequest(
        region_id="cn-hangzhou", image_id=GOLDEN_WEB, account=[served.account("initech").id]
    )
    denied = tea_error(lambda: served.world.swas(auditor).add_custom_image_share_account(share))
    assert denied.code == "Forbidden.RAM"
    assert _swas_images(served, served.keys("globex")) == {"golden-web": GOLDEN_WEB}


def test_ram_entries_as_the_ram_api_shows_them(served: Served) -> None:
    client = served.world.ram(served.keys("acme"))
    user = client.get_user(ram.GetUserRequest(user_name="release-bot")).body.user
    assert user.display_name == "Release pipeline"
    attached = client.list_policies_for_user(
        ram.ListPoliciesForUserRequest(user_name="release-bot")
    )
    assert {(p.policy_name, p.policy_type) for p in attached.body.policies.policy} == {
        ("ShareGoldenImages", "Custom"), ("AliyunSTSAssumeRoleAccess", "System"),
    }  # fmt: skip
    users = client.list_users(ram.ListUsersRequest()).body.users.user
    assert sorted(u.user_name for u in users) == ["auditor", "release-bot"]
    # (Group membership has no listing action here; the auditor's ECD access through its
    # group's policy, above, is what shows it.)
    policy = client.get_policy(
        ram.GetPolicyRequest(policy_name="ShareGoldenImages", policy_type="Custom")
    ).body
    assert "swas-open:AddCustomImageShareAccount" in policy.default_policy_version.policy_document
    role = client.get_role(ram.GetRoleRequest(role_name="image-publisher")).body.role
    assert role.max_session_duration == 3600 and role.description.startswith("Assumed by")


def test_a_role_session_may_do_what_the_role_allows(served: Served) -> None:
    bot = served.keys("acme", "release-bot")
    instances = swas.ListInstancesRequest(region_id="cn-hangzhou")
    assert tea_error(lambda: served.world.swas(bot).list_instances(instances)).code == (
        "Forbidden.RAM"
    )
    assume = sts.AssumeRoleRequest(
        role_arn=f"acs:ram::{ACME}:role/image-publisher", role_session_name="release-1"
    )
    credentials = served.world.sts(bot).assume_role(assume).body.credentials
    session = AccountKeys(
        ACME, "china", credentials.access_key_id, credentials.access_key_secret,
        credentials.security_token,
    )  # fmt: skip
    found = served.world.swas(session).list_instances(instances).body.instances
    assert len(found) == 1 and found[0].instance_name.startswith("swas-")


def test_a_fixed_desktop_id_is_what_create_image_takes(served: Served) -> None:
    client = served.world.ecd(served.keys("acme"), region_id="cn-shanghai")
    request = ecd.CreateImageRequest(
        region_id="cn-shanghai", desktop_id="ecd-acmedesigner00001", image_name="from-the-world"
    )
    made = client.create_image(request).body.image_id
    assert _ecd_images(served, served.keys("acme"))["from-the-world"] == made
