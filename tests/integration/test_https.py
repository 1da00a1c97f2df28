"""HTTPS: the generated CA and server certificate, and how each official client trusts them,
each way checked against that client (docs/https.md)."""

from __future__ import annotations

import asyncio
import socket
import ssl
from collections.abc import Iterator
from pathlib import Path

import pytest
from alibabacloud_tea_util.models import RuntimeOptions
from aliyunsdkcore.client import AcsClient
from aliyunsdkcore.request import CommonRequest
from darabonba.core import DaraCore

from imageshare.http.tls import ensure_files, tls_directory
from imageshare.testing.server import RunningServer, serve_in_thread
from imageshare.testing.world import AccountKeys, World


@pytest.fixture(scope="module")
def https_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    directory = tmp_path_factory.mktemp("https")
    files = ensure_files(directory / "tls")
    with serve_in_thread(f"sqlite:///{directory}/https.db", tls=files) as server:
        yield server


@pytest.fixture
def who(https_server: RunningServer) -> Iterator[AccountKeys]:
    # The tea core keeps one connection pool per host: a connection verified in one test would
    # be reused by the next, which then never shows whether it trusts the CA itself.
    DaraCore._sessions.clear()
    yield World(https_server.endpoint, https_server.store).account()
    DaraCore._sessions.clear()


def handshake(server: RunningServer, name: str) -> None:
    """A TLS handshake with 127.0.0.1 as if it were ``name``, trusting only the CA."""
    assert server.ca_file is not None and server.https_port is not None
    context = ssl.create_default_context(cafile=str(server.ca_file))
    with (
        socket.create_connection(("127.0.0.1", server.https_port), timeout=10) as raw,
        context.wrap_socket(raw, server_hostname=name),
    ):
        pass


@pytest.mark.parametrize(
    "name",
    [
        "127.0.0.1",
        "localhost",
        "ecs.cn-hangzhou.aliyuncs.com",
        "ecs-cn-hangzhou.aliyuncs.com",
        "swas.ap-southeast-1.aliyuncs.com",
        "sts.aliyuncs.com",
        "location-readonly.aliyuncs.com",
    ],
)
def test_the_certificate_is_valid_for(https_server: RunningServer, name: str) -> None:
    handshake(https_server, name)


def test_the_certificate_is_not_valid_for_other_names(https_server: RunningServer) -> None:
    with pytest.raises(ssl.SSLCertVerificationError, match="mismatch"):
        handshake(https_server, "example.com")


def test_the_ca_is_kept_and_the_server_certificate_renewed(tmp_path: Path) -> None:
    first = ensure_files(tmp_path)
    ca, cert = first.ca.read_bytes(), first.cert.read_bytes()
    second = ensure_files(tmp_path)
    assert second.ca.read_bytes() == ca
    assert second.cert.read_bytes() != cert
    for private in (tmp_path / "ca-key.pem", second.key):
        assert private.stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("sqlite:////srv/data/imageshare.db", Path("/srv/data/imageshare-tls")),
        ("postgresql://me@db/imageshare", Path.cwd() / "imageshare-tls"),
        ("sqlite:///:memory:", Path.cwd() / "imageshare-tls"),
    ],
)
def test_the_ca_is_kept_beside_the_database(url: str, expected: Path) -> None:
    assert tls_directory(url) == expected


def test_python_tea_sdks_trust_the_runtime_options_ca(
    https_server: RunningServer, who: AccountKeys
) -> None:
    sts = World(https_server.endpoint, https_server.store).sts(
        who, endpoint=https_server.https_endpoint, protocol="https"
    )
    runtime = RuntimeOptions(ca=str(https_server.ca_file))
    assert sts.get_caller_identity_with_options(runtime).body.account_id == str(who.id)
    identity = asyncio.run(sts.get_caller_identity_with_options_async(runtime))
    assert identity.body.account_id == str(who.id)


def test_python_tea_sdks_do_not_trust_the_ca_by_themselves(
    https_server: RunningServer, who: AccountKeys
) -> None:
    sts = World(https_server.endpoint, https_server.store).sts(
        who, endpoint=https_server.https_endpoint, protocol="https"
    )
    with pytest.raises(Exception, match="CERTIFICATE_VERIFY_FAILED"):
        sts.get_caller_identity()
    with pytest.raises(Exception, match="CERTIFICATE_VERIFY_FAILED"):
        asyncio.run(sts.get_caller_identity_async())


def test_python_tea_sdks_trust_ssl_cert_file(
    https_server: RunningServer, who: AccountKeys, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Read when the tea core first builds its TLS context for a host (then kept): set it
    # before the first HTTPS call, in practice in the environment the process starts with.
    monkeypatch.setenv("SSL_CERT_FILE", str(https_server.ca_file))
    sts = World(https_server.endpoint, https_server.store).sts(
        who, endpoint=https_server.https_endpoint, protocol="https"
    )
    assert sts.get_caller_identity().body.account_id == str(who.id)
    assert asyncio.run(sts.get_caller_identity_async()).body.account_id == str(who.id)


def test_python_tea_sdks_ignore_requests_ca_bundle(
    https_server: RunningServer, who: AccountKeys, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The tea core hands requests its own verify setting, so requests' variable is not read.
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(https_server.ca_file))
    sts = World(https_server.endpoint, https_server.store).sts(
        who, endpoint=https_server.https_endpoint, protocol="https"
    )
    with pytest.raises(Exception, match="CERTIFICATE_VERIFY_FAILED"):
        sts.get_caller_identity()


def test_the_old_sdk_trusts_alibaba_cloud_ca_bundle(
    https_server: RunningServer, who: AccountKeys, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = AcsClient(who.key_id, who.secret, "cn-hangzhou", port=https_server.https_port)
    request = CommonRequest(
        domain="127.0.0.1", version="2015-04-01", action_name="GetCallerIdentity"
    )
    request.set_protocol_type("https")
    monkeypatch.setenv("ALIBABA_CLOUD_CA_BUNDLE", str(https_server.ca_file))
    assert str(who.id).encode() in client.do_action_with_exception(request)
