"""The console's pages over plain HTTP: signed out, every page sends to the sign-in; a form
without its csrf field is refused; what a caller sent is escaped; no secret on any page; and
the pages stay fast with 10,000 images."""

from __future__ import annotations

import http.cookiejar
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import insert, select
from support.raw import rpc_params, send
from support.server import running_server
from support.world import World

from imageshare.store.tables import image_shares, images

TOKEN = "console-pages-token-0123456789"
PAGES = ("/", "/accounts", "/images", "/graph", "/requests", "/admin", "/admin/reset")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    url = f"sqlite:///{tmp_path_factory.mktemp('console') / 'c.db'}"
    with running_server(url, admin_token=TOKEN) as (endpoint, store):
        yield World(endpoint, store)


def opener(signed_in: bool, world: World) -> urllib.request.OpenerDirector:
    jar = http.cookiejar.CookieJar()
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)
    if signed_in:
        form = urllib.parse.urlencode({"token": TOKEN}).encode()
        status, _ = fetch(browser, f"{world.url}/console/sign-in", form)
        assert status == 303
    return browser


def fetch(
    browser: urllib.request.OpenerDirector, url: str, form: bytes | None = None
) -> tuple[int, str]:
    try:
        with browser.open(url, data=form, timeout=10) as reply:
            return reply.status, reply.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def test_signed_out_every_page_leads_to_the_sign_in(world: World) -> None:
    browser = opener(False, world)
    for path in PAGES:
        status, _ = fetch(browser, f"{world.url}/console{path}")
        assert status == 303, path
    wrong = urllib.parse.urlencode({"token": "x" * 30}).encode()
    assert fetch(browser, f"{world.url}/console/sign-in", wrong)[0] == 401


def test_signed_in_every_page_answers(world: World) -> None:
    browser = opener(True, world)
    for path in PAGES:
        status, body = fetch(browser, f"{world.url}/console{path}")
        assert status == 200 and "<h1>" in body, path
    assert fetch(browser, f"{world.url}/console/images/m-nothere")[0] == 404
    assert fetch(browser, f"{world.url}/console/accounts/1")[0] == 404
    assert fetch(browser, f"{world.url}/console/nothing")[0] == 404


def test_a_form_without_its_csrf_field_changes_nothing(world: World) -> None:
    who = world.account()
    browser = opener(True, world)
    status, _ = fetch(browser, f"{world.url}/console/admin/reset", b"keep_demo=0")
    assert status == 403
    assert fetch(browser, f"{world.url}/console/accounts/{who.id}")[0] == 200  # still there


def test_callers_text_is_escaped_and_no_secret_is_shown(world: World) -> None:
    who = world.account()
    action = "<script>alert(1)</script>"
    send(world.endpoint, rpc_params(who.key_id, who.secret, action, "2020-06-01", []))
    browser = opener(True, world)
    _, log = fetch(browser, f"{world.url}/console/requests?live=0")
    assert action not in log and "&lt;script&gt;" in log
    _, page = fetch(browser, f"{world.url}/console/accounts/{who.id}")
    assert who.key_id in page and who.secret not in page and TOKEN not in page


def test_pages_stay_fast_with_ten_thousand_images(world: World, tmp_path: Path) -> None:
    owner, team = world.account(), world.account()
    made = world.swas_image(owner)
    with world.store.transaction(write=True) as conn:
        query = select(images).where(images.c.id == made.id)
        template = dict(conn.execute(query).mappings().one())
        rows = [{**template, "id": f"m-bulk{n:015d}", "name": f"bulk-{n}"} for n in range(10_000)]
        conn.execute(insert(images), rows)
        shares = [
            {"image_id": r["id"], "account_id": team.id, "shared_at": r["created_at"]}
            for r in rows[:2000]
        ]
        conn.execute(insert(image_shares), shares)
    browser = opener(True, world)
    for path in ("/", "/images?offset=9950", f"/accounts/{owner.id}", f"/accounts/{team.id}",
                 "/graph", "/images?q=m-bulk00000000000999", f"/images/{made.id}"):  # fmt: skip
        started = time.perf_counter()
        status, body = fetch(browser, f"{world.url}/console{path}")
        elapsed = time.perf_counter() - started
        assert status == 200, path
        assert elapsed < 1.0, f"{path}: {elapsed:.2f} s"
    _, listing = fetch(browser, f"{world.url}/console/images?offset=9950")
    assert "of 10001" in listing and listing.count("/console/images/m-") == 50
