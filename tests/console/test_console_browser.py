"""The web console in a real headless Chromium: sign in with the keyboard, find an image shared
between two accounts by the official SDK, its share list and history, the sharing graph, a
snapshot and its restore. Screenshots go to the test's directory (and to docs/img with
IMAGESHARE_SCREENSHOTS=docs/img)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from alibabacloud_swas_open20200601 import models as swas
from browser import keep_screenshot, selenium_driver
from support.server import running_server
from support.world import AccountKeys, World

TOKEN = "console-browser-token-0123456789"
REGION = "cn-hangzhou"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    yield from selenium_driver()


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    with running_server(f"sqlite:///{tmp_path / 'console.db'}", admin_token=TOKEN) as served:
        endpoint, store = served
        yield World(endpoint, store)


def find(browser: Any, by: str, value: str) -> Any:
    """The element, once the page that has it has loaded (a click or Enter does not wait)."""
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    located = expected_conditions.presence_of_element_located((by, value))
    return WebDriverWait(browser, 15).until(located)


def shot(browser: Any, tmp_path: Path, name: str) -> None:
    path = tmp_path / f"console-{name}.png"
    assert browser.save_screenshot(str(path))
    keep_screenshot(path)


def shares_of(world: World, owner: AccountKeys, image_id: str) -> list[int]:
    request = swas.ListCustomImageShareAccountsRequest(region_id=REGION, image_id=image_id)
    listed = world.swas(owner).list_custom_image_share_accounts(request).body
    return sorted(int(user.user_id) for user in listed.image_share_users)


def share(world: World, owner: AccountKeys, image_id: str, to: AccountKeys) -> None:
    world.swas(owner).add_custom_image_share_account(
        swas.AddCustomImageShareAccountRequest(region_id=REGION, image_id=image_id, account=[to.id])
    )


def sign_in_with_the_keyboard(browser: Any, world: World) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    browser.delete_all_cookies()  # cookies ignore ports: another test's server signed it in
    browser.get(f"{world.url}/console/")
    assert browser.current_url.endswith("/console/sign-in")
    field = browser.switch_to.active_element  # the token field has the focus
    assert field.get_attribute("id") == "token"
    field.send_keys("not-the-token-000000" + Keys.ENTER)
    assert "That is not the admin token" in find(browser, By.CSS_SELECTOR, ".error").text
    find(browser, By.ID, "token").send_keys(TOKEN + Keys.ENTER)
    find(browser, By.CLASS_NAME, "cards")
    assert browser.current_url.endswith("/console/")


def test_find_a_shared_image_then_snapshot_and_restore(
    browser: Any, world: World, tmp_path: Path
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    owner, team, other = world.account(), world.account(), world.account()
    image = world.swas_image(owner, name="golden")
    share(world, owner, image.id, team)
    sign_in_with_the_keyboard(browser, world)
    cards = find(browser, By.CLASS_NAME, "cards").text
    assert "3\naccounts" in cards and "1\nshares" in cards
    shot(browser, tmp_path, "overview")

    find(browser, By.LINK_TEXT, "Images").click()
    find(browser, By.ID, "q").send_keys(image.id + Keys.ENTER)
    find(browser, By.LINK_TEXT, image.id).click()
    shares = find(browser, By.ID, "shares").find_element(By.XPATH, "following::table[1]")
    assert str(team.id) in shares.text and str(other.id) not in shares.text
    history = find(browser, By.ID, "history").find_element(By.XPATH, "following::table[1]")
    assert "AddCustomImageShareAccount" in history.text and "ok" in history.text
    shot(browser, tmp_path, "image")

    find(browser, By.LINK_TEXT, "Sharing graph").click()
    find(browser, By.TAG_NAME, "svg")
    assert len(browser.find_elements(By.CSS_SELECTOR, "svg line")) == 1
    shot(browser, tmp_path, "graph")

    find(browser, By.LINK_TEXT, "Admin").click()
    find(browser, By.ID, "name").send_keys("before-the-rollout" + Keys.ENTER)
    assert "saved before-the-rollout" in find(browser, By.CSS_SELECTOR, ".notice").text
    shot(browser, tmp_path, "admin")

    share(world, owner, image.id, other)  # a change after the snapshot...
    assert shares_of(world, owner, image.id) == sorted([team.id, other.id])
    find(browser, By.PARTIAL_LINK_TEXT, "Restore").click()
    confirm = find(browser, By.CSS_SELECTOR, "button.danger")  # "Yes, restore"
    assert "before-the-rollout" in find(browser, By.TAG_NAME, "main").text
    confirm.click()
    assert "restore before-the-rollout" in find(browser, By.CSS_SELECTOR, ".notice").text
    assert shares_of(world, owner, image.id) == [team.id]  # ...undone by the restore


def test_the_request_log_page_shows_calls_and_who_made_them(
    browser: Any, world: World, tmp_path: Path
) -> None:
    from selenium.webdriver.common.by import By

    owner = world.account()
    world.swas(owner).list_regions(swas.ListRegionsRequest())
    sign_in_with_the_keyboard(browser, world)
    browser.get(f"{world.url}/console/requests?live=0")
    table = find(browser, By.TAG_NAME, "table").text
    assert "ListRegions" in table and str(owner.id) in table
    shot(browser, tmp_path, "requests")
