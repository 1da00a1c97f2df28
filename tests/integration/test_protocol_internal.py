"""Failures the client cannot cause: an unexpected exception, and STS tokens past their end."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from alibabacloud_swas_open20200601 import models as swas
from sqlalchemy import insert
from support.errors import tea_error
from support.server import running_server
from support.world import AccountKeys, World

from imageshare.api.all import build_registry
from imageshare.api.models import RpcRequest
from imageshare.api.products import SWAS
from imageshare.api.registry import Action, Call, Registry
from imageshare.domain.principal import encode_session
from imageshare.store.tables import security_tokens


def _explode(_call: Call, _request: Any) -> dict[str, Any]:
    raise RuntimeError("secret internals: /etc/imageshare/key.pem line 3")


def test_unexpected_exception_is_internal_error_without_traceback(
    tmp_path: Any, caplog: pytest.LogCaptureFixture
) -> None:
    faulty = Action(product=SWAS, name="ListFirewallRules", request=RpcRequest, handler=_explode)
    registry = Registry([*build_registry(), faulty])
    with running_server(f"sqlite:///{tmp_path}/db.sqlite", registry) as (endpoint, store):
        world = World(endpoint, store)
        client = world.swas(world.account())
        with caplog.at_level(logging.ERROR, logger="imageshare.pipeline"):
            request = swas.ListFirewallRulesRequest(region_id="cn-hangzhou", instance_id="x")
            error = tea_error(lambda: client.list_firewall_rules(request))
    assert (error.code, error.status) == ("InternalError", 500)
    assert "secret internals" not in str(error.data)
    assert error.request_id in caplog.text
    assert "secret internals" in caplog.text


def _issue_token(world: World, who: AccountKeys, key_id: str, expires: datetime) -> None:
    with world.store.transaction(write=True) as conn:
        conn.execute(
            insert(security_tokens).values(
                access_key_id=key_id,
                account_id=who.id,
                secret="stsSecret",
                token="CAIS-token-" + key_id,
                principal=encode_session("ghost", "1000000000000001", "t", None),
                expires_at=expires.replace(tzinfo=None),
            )
        )


def test_security_token_lifecycle(world: World) -> None:
    who = world.account()
    now = datetime.now(UTC)
    key_id = f"STS.live{who.id}"
    _issue_token(world, who, key_id, now + timedelta(hours=1))
    sts = AccountKeys(who.id, who.site, key_id, "stsSecret")
    good = world.swas(sts, security_token="CAIS-token-" + key_id)
    # The token authenticates; a role session then needs RAM policies, which it has none of
    # yet, so authorisation (a later step, 403) is what answers, not authentication (400).
    error = tea_error(lambda: good.list_regions(swas.ListRegionsRequest()))
    assert (error.code, error.status) == ("Forbidden.RAM", 403)

    wrong = world.swas(sts, security_token="CAIS-token-someone-else")
    error = tea_error(lambda: wrong.list_regions(swas.ListRegionsRequest()))
    assert (error.code, error.status) == ("InvalidSecurityToken.MismatchWithAccessKey", 400)

    expired_id = f"STS.old{who.id}"
    _issue_token(world, who, expired_id, now - timedelta(seconds=1))
    old = AccountKeys(who.id, who.site, expired_id, "stsSecret")
    stale = world.swas(old, security_token="CAIS-token-" + expired_id)
    error = tea_error(lambda: stale.list_regions(swas.ListRegionsRequest()))
    assert (error.code, error.status) == ("InvalidSecurityToken.Expired", 400)


def test_sts_key_without_token_is_missing_parameter(world: World) -> None:
    who = world.account()
    sts = AccountKeys(who.id, who.site, "STS.NoTokenGiven", "stsSecret")
    error = tea_error(lambda: world.swas(sts).list_regions(swas.ListRegionsRequest()))
    assert (error.code, error.status) == ("MissingParameter", 400)
    assert "SecurityToken" in error.message
