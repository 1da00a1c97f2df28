"""Hostile input over the whole action registry, on both databases, through real HTTP: signed
requests (both schemes, query and form body) with names and values chosen to break things.

The property: never a 5xx, always a well-formed JSON answer, and a failed request changes
nothing. ``IMAGESHARE_FUZZ_EXAMPLES`` sets the examples per database (CI: 120, about 20 s
each); bench/fuzz_registry.py runs it longer and reports the figures in docs/hostile-input.md.
"""

from __future__ import annotations

import json
import os
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from support import hostile
from support.world import AccountKeys, World

from imageshare.api.all import build_registry
from imageshare.services import state

EXAMPLES = int(os.environ.get("IMAGESHARE_FUZZ_EXAMPLES", "120"))
REGISTRY = build_registry()


POLICY = json.dumps(
    {"Version": "1", "Statement": [{"Effect": "Allow", "Action": "ecs:Describe*", "Resource": "*"}]}
)


@pytest.fixture(scope="module")
def server(own_server: World) -> World:
    """Every case compares the whole state before and after: a server of this module's own
    keeps that state small."""
    return own_server


@pytest.fixture(scope="module")
def fuzzed(server: World) -> tuple[World, AccountKeys, hostile.Targets]:
    """One account with something of each kind to aim at, and a stranger's image."""
    who = server.account()
    stranger = server.account()
    swas = server.swas_image(who)
    theirs = server.swas_image(stranger)
    ecd = server.ecd_image(who)
    server.ram_user(who, name="fuzz-user")
    targets = hostile.Targets(
        image_ids=[swas.id, ecd, theirs.id, "m-" + "0" * 20],
        account_ids=[str(stranger.id), str(who.id), "1000000000000001"],
        names=["fuzz-user", swas.instance_id, swas.system_snapshot_id, "AliyunECSFullAccess", "m"],
        policy=POLICY,
    )
    return server, who, targets


def _rows(world: World) -> Any:
    """Every table but the audit trail, which records refused calls too (as ActionTrail does)."""
    tables = state.export(world.store)["tables"]
    return {name: rows for name, rows in tables.items() if name != "trail_events"}


def test_hostile_requests_never_fail_the_server(
    fuzzed: tuple[World, AccountKeys, hostile.Targets],
) -> None:
    world, who, targets = fuzzed

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(hostile.plans(REGISTRY, targets))
    def check(plan: hostile.Plan) -> None:
        before = _rows(world)
        reply = hostile.send(world.endpoint, who.key_id, who.secret, plan)
        assert reply.status < 500, (reply.status, reply.body[:500])
        body = hostile.well_formed_error(reply)
        if reply.status != 200:
            assert _rows(world) == before, body

    check()
