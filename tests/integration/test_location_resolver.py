"""The old SDK's own endpoint resolver finds a served imageshare through the Location service:
it asks over HTTPS, so this runs against imageshare's HTTPS listener, trusting its CA."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from aliyunsdkcore.client import AcsClient
from aliyunsdkswas_open.request.v20200601.ListInstancesRequest import ListInstancesRequest

from imageshare.http.tls import ensure_files
from imageshare.testing.server import RunningServer, serve_in_thread
from imageshare.testing.world import World


@pytest.fixture(scope="module")
def https_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    directory = tmp_path_factory.mktemp("resolver")
    files = ensure_files(directory / "tls")
    with serve_in_thread(f"sqlite:///{directory}/resolver.db", tls=files) as server:
        yield server


def test_the_old_sdk_resolves_swas_open_to_imageshare(
    https_server: RunningServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = World(https_server.endpoint, https_server.store)
    who = world.account()
    world.swas_image(who)
    monkeypatch.setenv("ALIBABA_CLOUD_CA_BUNDLE", str(https_server.ca_file))
    client = AcsClient(who.key_id, who.secret, "cn-hangzhou", port=https_server.https_port)
    # The SDK has no public setter for where its location resolver asks (by default
    # location-readonly.aliyuncs.com): the last resolver of its chain is that one.
    resolver = client._endpoint_resolver._resolver.endpoint_resolvers[-1]
    resolver.set_location_service_endpoint("127.0.0.1")
    request = ListInstancesRequest()  # swas-open: no built-in endpoint, so it asks
    request.set_protocol_type("https")
    answer = json.loads(client.do_action_with_exception(request))
    assert answer["TotalCount"] == 1
    assert resolver.endpoints_data  # it did ask, and kept imageshare's answer
    assert "127.0.0.1" in resolver.endpoints_data.values()
