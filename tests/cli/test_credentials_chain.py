"""The default credentials chain, path by path, each through alibabacloud-credentials and the
official STS SDK against a served imageshare, over HTTP and over HTTPS: `imageshare env`,
`imageshare profile` (AK, StsToken, RamRoleArn), the credentials URI, and the RamRoleArn
provider assuming a role over imageshare's HTTPS listener."""

from __future__ import annotations

import asyncio
import json
import shlex
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from alibabacloud_credentials.client import Client as CredentialClient
from alibabacloud_credentials.provider import (
    CLIProfileCredentialsProvider,
    RamRoleArnCredentialsProvider,
    URLCredentialsProvider,
)
from alibabacloud_credentials.utils import auth_constant, auth_util
from alibabacloud_sts20150401.client import Client as StsClient
from alibabacloud_tea_openapi.models import Config
from alibabacloud_tea_util.models import RuntimeOptions
from click.testing import CliRunner
from darabonba.core import DaraCore
from support.ram import allow, document, role, trust, user
from Tea.core import TeaCore

from imageshare.cli import cli
from imageshare.http.tls import ensure_files
from imageshare.testing.intercept import Interception
from imageshare.testing.server import RunningServer, serve_in_thread
from imageshare.testing.world import AccountKeys, World

ADMIN_TOKEN = "credentials-chain-admin-token"
PROTOCOLS = ["http", "https"]


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    directory = tmp_path_factory.mktemp("chain")
    url = f"sqlite:///{directory}/chain.db"
    with serve_in_thread(url, tls=ensure_files(directory / "tls"), admin_token=ADMIN_TOKEN) as s:
        yield s


@pytest.fixture(autouse=True)
def fresh_connections() -> Iterator[None]:
    # Both tea cores keep a connection pool (and TLS context) per host: start each test clean.
    DaraCore._sessions.clear()
    TeaCore._sessions.clear()
    yield
    DaraCore._sessions.clear()
    TeaCore._sessions.clear()


@pytest.fixture
def trusted(served: RunningServer, monkeypatch: pytest.MonkeyPatch) -> RunningServer:
    """The process trusts imageshare's CA, as `SSL_CERT_FILE=ca.pem python ...` would."""
    monkeypatch.setenv("SSL_CERT_FILE", str(served.ca_file))
    return served


@pytest.fixture
def owner(served: RunningServer) -> AccountKeys:
    return World(served.endpoint, served.store).account()


def imageshare_cli(served: RunningServer, *args: str) -> str:
    database = served.settings.database_url
    result = CliRunner().invoke(cli, [*args, "--database", database], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def caller(server: RunningServer, credential: Any, protocol: str) -> Any:
    """GetCallerIdentity through the STS SDK with this credentials client."""
    endpoint = server.endpoint if protocol == "http" else server.https_endpoint
    config = Config(credential=credential, endpoint=endpoint, protocol=protocol)
    runtime = RuntimeOptions(ca=str(server.ca_file)) if protocol == "https" else RuntimeOptions()
    return StsClient(config).get_caller_identity_with_options(runtime).body


def role_named(served: RunningServer, owner: AccountKeys, trusted_arn: str | None = None) -> str:
    arn = role(
        World(served.endpoint, served.store),
        owner,
        trust(trusted_arn or f"acs:ram::{owner.id}:root"),
    )
    return arn.rsplit("/", 1)[1]


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


# --- the credentials URI ---------------------------------------------------------------------


def credentials_uri(server: RunningServer, owner: AccountKeys, name: str, protocol: str) -> str:
    address = server.endpoint if protocol == "http" else server.https_endpoint
    query = f"account={owner.id}&role={name}&duration=900&token={ADMIN_TOKEN}"
    return f"{protocol}://{address}/_imageshare/credentials?{query}"


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_the_credentials_uri_hands_out_fresh_role_sessions(
    trusted: RunningServer, owner: AccountKeys, protocol: str
) -> None:
    name = role_named(trusted, owner)
    provider = URLCredentialsProvider(uri=credentials_uri(trusted, owner, name, protocol))
    first, second = provider.get_credentials(), provider.get_credentials()
    # 900 s is within the library's 15-minute margin, so it fetches again each time: a new
    # session each time, as before an expiry.
    assert first.get_access_key_id() != second.get_access_key_id()
    assert asyncio.run(provider.get_credentials_async()).get_security_token()
    identity = caller(trusted, CredentialClient(provider=provider), protocol)
    assert identity.arn == f"acs:ram::{owner.id}:assumed-role/{name}/credentials-uri"


def test_the_credentials_uri_keeps_its_session_until_near_expiry(
    served: RunningServer, owner: AccountKeys
) -> None:
    name = role_named(served, owner)
    uri = credentials_uri(served, owner, name, "http").replace("duration=900", "duration=3600")
    provider = URLCredentialsProvider(uri=uri)
    assert provider.get_credentials().get_access_key_id() == (
        provider.get_credentials().get_access_key_id()
    )


@pytest.mark.parametrize(
    ("query", "status", "code"),
    [
        ("account={account}&role={role}", 401, "MissingToken"),
        ("account={account}&role={role}&token=wrong-token-0123456789", 401, "InvalidToken"),
        ("account={account}&role=nobody&token={token}", 404, "EntityNotExist.Role"),
        ("role={role}&token={token}", 400, "InvalidParameter"),
        (
            "account={account}&role={role}&duration=60&token={token}",
            400,
            "InvalidParameter.DurationSeconds",
        ),
        # Past 64 bits (a 500 once: the store cannot hold it), and a digit int() refuses.
        ("account=99999999999999999999&role={role}&token={token}", 400, "InvalidParameter"),
        ("account=%C2%B2&role={role}&token={token}", 400, "InvalidParameter"),
        (
            f"account={{account}}&role={{role}}&duration={'9' * 40}&token={{token}}",
            400,
            "InvalidParameter",
        ),
    ],
)
def test_the_credentials_uri_refuses(
    served: RunningServer, owner: AccountKeys, query: str, status: int, code: str
) -> None:
    name = role_named(served, owner)
    filled = query.format(account=owner.id, role=name, token=ADMIN_TOKEN)
    url = f"{served.url}/_imageshare/credentials?{filled}"
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            answer = (response.status, json.loads(response.read()))
    except urllib.error.HTTPError as error:
        answer = (error.code, json.loads(error.read()))
    assert (answer[0], answer[1]["code"]) == (status, code)
