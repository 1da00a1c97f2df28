"""The default credentials chain, path by path, each through alibabacloud-credentials and the
official STS SDK against a served imageshare, over HTTP and over HTTPS: `imageshare env`,
`imageshare profile` (AK, StsToken, RamRoleArn), and the RamRoleArn provider assuming a role
over imageshare's HTTPS listener (the credentials URI: test_credentials_uri)."""

from __future__ import annotations

import json
import shlex
from pathlib import Path

import pytest
from alibabacloud_credentials.client import Client as CredentialClient
from alibabacloud_credentials.provider import (
    CLIProfileCredentialsProvider,
    RamRoleArnCredentialsProvider,
)
from alibabacloud_credentials.utils import auth_constant, auth_util
from click.testing import CliRunner
from support import credentials
from support.credentials import PROTOCOLS, caller, role_named
from support.ram import allow, document, user

from imageshare.cli import cli
from imageshare.testing.intercept import Interception
from imageshare.testing.server import RunningServer
from imageshare.testing.world import AccountKeys, World

# The fixtures this module shares with test_credentials_uri, bound here so that pytest makes
# them for this module (fresh_connections autouse for its tests only).
served = credentials.served
fresh_connections = credentials.fresh_connections
trusted = credentials.trusted
owner = credentials.owner


def imageshare_cli(served: RunningServer, *args: str) -> str:
    database = served.settings.database_url
    result = CliRunner().invoke(cli, [*args, "--database", database], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def exported(output: str, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Apply `imageshare env`'s exports, and what the credentials library would have read
    from them at import in a new process."""
    values: dict[str, str] = {}
    for line in output.splitlines():
        words = shlex.split(line)
        if words[0] == "export":
            name, _, value = words[1].partition("=")
            values[name] = value
            monkeypatch.setenv(name, value)
        else:
            monkeypatch.delenv(words[1], raising=False)
    monkeypatch.setattr(
        auth_util, "environment_access_key_id", values.get("ALIBABA_CLOUD_ACCESS_KEY_ID")
    )
    monkeypatch.setattr(
        auth_util, "environment_access_key_secret", values.get("ALIBABA_CLOUD_ACCESS_KEY_SECRET")
    )
    monkeypatch.setattr(
        auth_util, "environment_security_token", values.get("ALIBABA_CLOUD_SECURITY_TOKEN")
    )
    return values


# --- imageshare env --------------------------------------------------------------------------


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_env_exports_the_root_key(
    served: RunningServer, owner: AccountKeys, protocol: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    output = imageshare_cli(
        served, "env", "--account", str(owner.id), "--endpoint", served.endpoint
    )
    values = exported(output, monkeypatch)
    assert values["ALIBABA_CLOUD_ACCESS_KEY_ID"] == owner.key_id
    assert values["IMAGESHARE_ENDPOINT"] == served.endpoint
    assert "unset ALIBABA_CLOUD_SECURITY_TOKEN" in output
    identity = caller(served, CredentialClient(), protocol)  # the default chain
    assert (identity.identity_type, identity.account_id) == ("Account", str(owner.id))


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_env_exports_a_role_session(
    served: RunningServer, owner: AccountKeys, protocol: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    name = role_named(served, owner)
    output = imageshare_cli(served, "env", "--account", str(owner.id), "--role", name)
    values = exported(output, monkeypatch)
    assert values["ALIBABA_CLOUD_ACCESS_KEY_ID"].startswith("STS.")
    assert values["ALIBABA_CLOUD_SECURITY_TOKEN"]
    identity = caller(served, CredentialClient(), protocol)
    assert identity.identity_type == "AssumedRoleUser"
    assert identity.arn == f"acs:ram::{owner.id}:assumed-role/{name}/imageshare-cli"


def test_env_says_what_is_missing(served: RunningServer) -> None:
    database = served.settings.database_url
    result = CliRunner().invoke(
        cli, ["env", "--account", "1999999999999999", "--database", database]
    )
    assert result.exit_code == 1
    assert "no account 1999999999999999" in result.output


# --- imageshare profile --------------------------------------------------------------------


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_an_ak_profile_is_found_by_the_default_chain(
    served: RunningServer,
    owner: AccountKeys,
    protocol: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    config = tmp_path / ".aliyun" / "config.json"
    imageshare_cli(served, "profile", "--account", str(owner.id), "--file", str(config))
    for name in ("access_key_id", "access_key_secret", "security_token"):
        monkeypatch.setattr(auth_util, f"environment_{name}", None)
    monkeypatch.setattr(auth_constant, "HOME", str(tmp_path))  # read once, at import
    identity = caller(served, CredentialClient(), protocol)
    assert identity.account_id == str(owner.id)
    written = json.loads(config.read_text())
    assert written["current"] == "imageshare"
    assert config.stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_a_sts_token_profile(
    served: RunningServer, owner: AccountKeys, protocol: str, tmp_path: Path
) -> None:
    name, config = role_named(served, owner), tmp_path / "config.json"
    imageshare_cli(
        served, "profile", "--account", str(owner.id), "--file", str(config),
        "--mode", "StsToken", "--role", name, "--name", "sts",
    )  # fmt: skip
    provider = CLIProfileCredentialsProvider(profile_file=str(config), profile_name="sts")
    identity = caller(served, CredentialClient(provider=provider), protocol)
    assert identity.identity_type == "AssumedRoleUser"


def test_a_profile_keeps_the_others(
    served: RunningServer, owner: AccountKeys, tmp_path: Path
) -> None:
    config = tmp_path / "config.json"
    config.write_text(json.dumps({"current": "mine", "profiles": [{"name": "mine", "mode": "AK"}]}))
    imageshare_cli(
        served, "profile", "--account", str(owner.id), "--file", str(config), "--not-current"
    )
    written = json.loads(config.read_text())
    assert [p["name"] for p in written["profiles"]] == ["mine", "imageshare"]
    assert written["current"] == "mine"


def ram_role_profile(served: RunningServer, owner: AccountKeys, path: Path) -> str:
    """A RAM user allowed to assume a role that trusts it; a RamRoleArn profile for them."""
    world = World(served.endpoint, served.store)
    user_name, _ = user(world, owner, custom=(document(allow("sts:AssumeRole")),))
    name = role_named(served, owner, f"acs:ram::{owner.id}:user/{user_name}")
    imageshare_cli(
        served, "profile", "--account", str(owner.id), "--file", str(path),
        "--mode", "RamRoleArn", "--role", name, "--user", user_name,
    )  # fmt: skip
    return name


def test_a_ram_role_arn_profile_assumes_the_role(
    served: RunningServer, owner: AccountKeys, tmp_path: Path
) -> None:
    # The profile's provider always asks sts.aliyuncs.com on 443 over HTTPS; what a DNS
    # override would do, imageshare's interception does here (without emptying the state,
    # as mock_alibabacloud() would).
    config = tmp_path / "config.json"
    name = ram_role_profile(served, owner, config)
    provider = CLIProfileCredentialsProvider(profile_file=str(config))
    interception = Interception(served.port)
    interception.install()
    try:
        credentials = provider.get_credentials()
    finally:
        interception.remove()
    assert credentials.get_access_key_id().startswith("STS.")
    identity = caller(served, CredentialClient(provider=provider), "http")
    assert identity.arn == f"acs:ram::{owner.id}:assumed-role/{name}/imageshare"


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_the_ram_role_arn_provider_over_the_https_listener(
    trusted: RunningServer, owner: AccountKeys, protocol: str, tmp_path: Path
) -> None:
    world = World(trusted.endpoint, trusted.store)
    user_name, keys = user(world, owner, custom=(document(allow("sts:AssumeRole")),))
    name = role_named(trusted, owner, f"acs:ram::{owner.id}:user/{user_name}")
    provider = RamRoleArnCredentialsProvider(
        access_key_id=keys.key_id,
        access_key_secret=keys.secret,
        role_arn=f"acs:ram::{owner.id}:role/{name}",
        role_session_name="over-https",
        sts_endpoint=trusted.https_endpoint,  # HTTPS always: this provider speaks nothing else
    )
    identity = caller(trusted, CredentialClient(provider=provider), protocol)
    assert identity.arn == f"acs:ram::{owner.id}:assumed-role/{name}/over-https"
