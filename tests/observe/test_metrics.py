"""/metrics by product, action and error code, with a latency histogram per action; behind the
admin token when the operator asks."""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from alibabacloud_swas_open20200601 import models as swas
from support.raw import rpc_params, send
from support.server import running_server
from support.world import World
from Tea.exceptions import TeaException

TOKEN = "metrics-admin-token-0123456789"


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    url = f"sqlite:///{tmp_path_factory.mktemp('metrics') / 'm.db'}"
    with running_server(url) as (endpoint, store):
        yield World(endpoint, store)


def metrics(endpoint: str, token: str | None = None) -> str:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    request = urllib.request.Request(f"http://{endpoint}/metrics", headers=headers)
    with urllib.request.urlopen(request, timeout=5) as response:
        return str(response.read().decode())


def sample(text: str, name: str, **labels: str) -> float:
    """The value of the one sample of ``name`` with exactly these labels."""
    rendered = ",".join(f'{key}="{value}"' for key, value in sorted(labels.items()))
    found = re.search(rf"^{name}\{{{re.escape(rendered)}\}} (\S+)$", text, re.MULTILINE)
    return float(found.group(1)) if found else 0.0


def test_requests_are_counted_by_product_action_and_error_code(world: World) -> None:
    who = world.account()
    for _ in range(3):
        world.swas(who).list_regions(swas.ListRegionsRequest())
    with pytest.raises(TeaException):
        world.swas(who).list_custom_image_share_accounts(
            swas.ListCustomImageShareAccountsRequest(region_id="cn-hangzhou", image_id="m-none")
        )
    send(world.endpoint, rpc_params(who.key_id, who.secret, "NoSuchAction", "2020-06-01", []))
    text = metrics(world.endpoint)
    ok = {"product": "swas-open", "action": "ListRegions", "code": "", "status": "200"}
    assert sample(text, "imageshare_requests_total", **ok) == 3
    failed = {"product": "swas-open", "action": "ListCustomImageShareAccounts"}
    code = {"code": "InvalidImageId.NotFound", "status": "404"}
    assert sample(text, "imageshare_requests_total", **failed, **code) == 1
    unrouted = {"product": "-", "action": "-", "code": "InvalidAction.NotFound", "status": "404"}
    assert sample(text, "imageshare_requests_total", **unrouted) == 1
    assert "NoSuchAction" not in text  # the caller's text never becomes a label
    per_action = {"product": "swas-open", "action": "ListRegions"}
    assert sample(text, "imageshare_request_seconds_count", **per_action) == 3
    assert sample(text, "imageshare_request_seconds_bucket", **per_action, le="+Inf") == 3
    assert sample(text, "imageshare_request_seconds_sum", **per_action) > 0


def test_metrics_ask_for_the_admin_token_when_told_to(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'protected.db'}"
    with running_server(url, admin_token=TOKEN, metrics_require_token=True) as (endpoint, _):
        for token, status in ((None, 401), ("wrong-token-0123456789", 401)):
            with pytest.raises(urllib.error.HTTPError) as refused:
                metrics(endpoint, token)
            assert refused.value.code == status
        assert "imageshare_requests" in metrics(endpoint, TOKEN)
