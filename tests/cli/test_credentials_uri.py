"""The credentials URI of the default credentials chain, through alibabacloud-credentials'
URLCredentialsProvider and the official STS SDK against a served imageshare, over HTTP and
over HTTPS: fresh role sessions, one kept until near expiry, and each refusal (`imageshare
env`, `imageshare profile` and RamRoleArn: test_credentials_chain)."""

from __future__ import annotations

import asyncio
import json
import urllib.error
import urllib.request

import pytest
from alibabacloud_credentials.client import Client as CredentialClient
from alibabacloud_credentials.provider import URLCredentialsProvider
from support import credentials
from support.credentials import ADMIN_TOKEN, PROTOCOLS, caller, role_named

from imageshare.testing.server import RunningServer
from imageshare.testing.world import AccountKeys

# The fixtures this module shares with test_credentials_chain, bound here so that pytest makes
# them for this module (fresh_connections autouse for its tests only).
served = credentials.served
fresh_connections = credentials.fresh_connections
trusted = credentials.trusted
owner = credentials.owner


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
