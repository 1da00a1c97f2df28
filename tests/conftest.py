"""Fixtures: a real server per database backend, and a world of accounts and SDK clients."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from support.databases import migrated_database_url
from support.server import running_server
from support.world import World


@pytest.fixture(scope="session", params=["sqlite", "postgres"])
def backend(request: pytest.FixtureRequest) -> str:
    name: str = request.param
    return name


@pytest.fixture(scope="session")
def server(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    tmp = tmp_path_factory.mktemp(f"server-{backend}")
    with migrated_database_url(backend, str(tmp)) as url, running_server(url) as (endpoint, store):
        yield World(endpoint, store)


@pytest.fixture(scope="module")
def own_server(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    """A server of the module's own on an empty database, for modules whose every case reads
    the whole state: on the session's server that state grows with every test before them."""
    tmp = tmp_path_factory.mktemp(f"own-server-{backend}")
    with migrated_database_url(backend, str(tmp)) as url, running_server(url) as (endpoint, store):
        yield World(endpoint, store)


@pytest.fixture
def world(server: World) -> World:
    return server
