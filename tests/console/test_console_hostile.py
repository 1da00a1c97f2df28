"""Hostile query strings and paths for the console, on both databases: a page, a 404 or the
first page, never a 500 (an offset past 64 bits, a digit ``int`` refuses, a NUL in a search,
an account id past 64 bits all were)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from support.databases import database_url
from support.server import running_server
from support.world import World
from test_console_pages import TOKEN, fetch, opener

PAST_64_BITS = "9" * 30


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    tmp: Path = tmp_path_factory.mktemp(f"console-hostile-{request.param}")
    with (
        database_url(request.param, str(tmp)) as url,
        running_server(url, admin_token=TOKEN) as (
            endpoint,
            store,
        ),
    ):
        yield World(endpoint, store)


@pytest.mark.parametrize("page", ["/accounts", "/images", "/accounts/{account}"])
@pytest.mark.parametrize("offset", ["%C2%B2", "%D9%A5", PAST_64_BITS, "-1", "1e3"])
def test_a_hostile_offset_is_a_page(world: World, page: str, offset: str) -> None:
    account = world.account()
    world.swas_image(account)
    browser = opener(True, world)
    path = page.format(account=account.id)
    status, body = fetch(browser, f"{world.url}/console{path}?offset={offset}")
    assert status == 200 and "<h1>" in body, (path, offset)


@pytest.mark.parametrize("search", ["%00", "m-%00", "%1B%5B31m", "%25", "_"])
def test_a_hostile_search_is_a_page(world: World, search: str) -> None:
    status, body = fetch(opener(True, world), f"{world.url}/console/images?q={search}")
    assert status == 200 and "<h1>" in body, search


@pytest.mark.parametrize("number", [PAST_64_BITS[:19], "%D9%A5", "0"])
def test_an_account_past_64_bits_is_not_found(world: World, number: str) -> None:
    status, _ = fetch(opener(True, world), f"{world.url}/console/accounts/{number}")
    assert status == 404, number
