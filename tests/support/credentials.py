"""Helpers and fixtures of the credentials-chain tests (no tests here): one served imageshare
per module, over HTTP and HTTPS, with its admin token; an account on it; the protocols each path
is tried over; GetCallerIdentity through the STS SDK; and a role made to be assumed. A test
module binds the fixtures to its own names (``served = credentials.served``): pytest then makes
them per module, fresh_connections autouse for that module's tests only."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from alibabacloud_sts20150401.client import Client as StsClient
from alibabacloud_tea_openapi.models import Config
from alibabacloud_tea_util.models import RuntimeOptions
from darabonba.core import DaraCore
from Tea.core import TeaCore

from imageshare.http.tls import ensure_files
from imageshare.testing.server import RunningServer, serve_in_thread
from imageshare.testing.world import AccountKeys, World
from support.ram import role, trust

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
