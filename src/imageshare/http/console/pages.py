"""The console's pages: an explicit route table, one function per page. Each runs in a
worker thread and reads the store in one read-only transaction."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import field
from typing import TYPE_CHECKING, Any
from urllib.parse import quote_plus

from imageshare.api.models import CONTROL_CHARACTERS
from imageshare.domain.audit import expand
from imageshare.domain.paging import decode_offset
from imageshare.domain.times import utcnow
from imageshare.http.console import graph, session
from imageshare.http.console.render import render
from imageshare.pipeline.wire_values import parse_long
from imageshare.services import state
from imageshare.store import console as queries
from imageshare.values import frozen

if TYPE_CHECKING:
    from imageshare.http.console import ConsoleApp

PAGE_SIZE = 50
HISTORY_EVENTS = 100
GRAPH_EDGES = 120
SHARING_ACTIONS = frozenset(
    {
        "AddCustomImageShareAccount",
        "RemoveCustomImageShareAccount",
        "ModifyImageShareStatus",
        "ModifyImagePermission",
        "ModifyImageSharePermission",
    }
)


@frozen
class Request:
    method: str
    path: str  # below /console
    query: dict[str, str]
    form: dict[str, str]
    cookies: dict[str, str]
    secure: bool = False


@frozen
class Reply:
    status: int
    body: str
    headers: list[tuple[bytes, bytes]] = field(default_factory=list)


Page = Callable[["ConsoleApp", Request], Reply]


def redirect(to: str, *extra: tuple[bytes, bytes]) -> Reply:
    return Reply(303, "", [(b"location", f"/console{to}".encode("ascii")), *extra])


def page(app: ConsoleApp, template: str, title: str, **context: Any) -> Reply:
    body = render(template, title=title, csrf=session.csrf_value(app.token or ""), **context)
    return Reply(200, body)


def _offset(request: Request) -> int:
    return decode_offset(request.query.get("offset"))


def _signed(handler: Page) -> Page:
    """The page needs a signed-in browser (and a POST its csrf field)."""

    def guarded(app: ConsoleApp, request: Request) -> Reply:
        if app.token is None:
            return Reply(403, render("off.html", title="Console off"))
        if not session.signed_in(request.cookies, app.token):
            return redirect("/sign-in")
        if request.method == "POST" and not session.csrf_ok(request.form, app.token):
            return Reply(403, render("off.html", title="Refused"))
        return handler(app, request)

    return guarded


def sign_in(app: ConsoleApp, request: Request) -> Reply:
    if app.token is None:
        return Reply(403, render("off.html", title="Console off"))
    if request.method == "POST":
        if session.token_matches(request.form.get("token", ""), app.token):
            return redirect("/", (b"set-cookie", session.set_cookie(app.token, request.secure)))
        return Reply(401, render("sign_in.html", title="Sign in", wrong=True))
    return Reply(200, render("sign_in.html", title="Sign in", wrong=False))


def sign_out(_app: ConsoleApp, _request: Request) -> Reply:
    return redirect("/sign-in", (b"set-cookie", session.clear_cookie()))


def overview(app: ConsoleApp, _request: Request) -> Reply:
    with app.store.transaction() as conn:
        counts = queries.overview(conn)
    recent = app.recent_requests()[:15]
    return page(app, "overview.html", "Overview", counts=counts, recent=recent)


def accounts(app: ConsoleApp, request: Request) -> Reply:
    with app.store.transaction() as conn:
        listed = queries.accounts_page(conn, _offset(request), PAGE_SIZE)
    return page(app, "accounts.html", "Accounts", listed=listed)


def account(app: ConsoleApp, request: Request) -> Reply:
    number = request.path.rsplit("/", 1)[1]
    view = None
    account_id = parse_long(number)  # ASCII, within 64 bits: the route's \d takes any 19 digits
    if account_id is not None:
        with app.store.transaction() as conn:
            view = queries.account_view(conn, account_id, _offset(request), PAGE_SIZE)
    if view is None:
        return Reply(404, render("off.html", title="No such account"))
    return page(app, "account.html", f"Account {number}", view=view)


def images(app: ConsoleApp, request: Request) -> Reply:
    # No id or name holds a control character (the API refuses them); PostgreSQL refuses NUL.
    search = CONTROL_CHARACTERS.sub("", request.query.get("q", "")).strip()[:64]
    with app.store.transaction() as conn:
        listed = queries.images_page(conn, _offset(request), PAGE_SIZE, search)
    return page(app, "images.html", "Images", listed=listed, search=search)


def image(app: ConsoleApp, request: Request) -> Reply:
    image_id = request.path.rsplit("/", 1)[1][:64]
    with app.store.transaction() as conn:
        found = queries.image_view(conn, image_id)
    if found is None:
        return Reply(404, render("off.html", title="No such image"))
    details, shares = found
    with app.store.unit_of_work() as uow:
        rows = uow.trail.of_resource(details["account_id"], image_id, HISTORY_EVENTS)
    history = [expand(row) for row in rows]
    sharing = [event for event in history if event["eventName"] in SHARING_ACTIONS]
    return page(
        app, "image.html", f"Image {image_id}", image=details, shares=shares, history=sharing
    )


def share_graph(app: ConsoleApp, _request: Request) -> Reply:
    with app.store.transaction() as conn:
        edges = queries.share_edges(conn, GRAPH_EDGES)
    nodes, lines = graph.layout(edges)
    return page(
        app, "graph.html", "Who shares with whom", nodes=nodes, edges=lines, size=graph.SIZE
    )


def requests(app: ConsoleApp, request: Request) -> Reply:
    live = request.query.get("live", "1") != "0"
    return page(app, "requests.html", "Request log", recent=app.recent_requests(), live=live)


def admin(app: ConsoleApp, request: Request) -> Reply:
    snapshots = state.list_snapshots(app.store)
    done = request.query.get("done", "")[:200]
    return page(app, "admin.html", "Admin", snapshots=snapshots, done=done)


def snapshot(app: ConsoleApp, request: Request) -> Reply:
    name = request.form.get("name", "").strip()
    now = utcnow()  # a snapshot's own date: the real time, as in the admin API
    try:
        state.save_snapshot(app.store, name, now=now, replace=request.form.get("replace") == "1")
    except state.StateError as error:
        return page(app, "admin.html", "Admin", snapshots=state.list_snapshots(app.store),
                    done="", error=str(error))  # fmt: skip
    return redirect("/admin?done=" + quote_plus(f"saved {name}"))


def confirm(app: ConsoleApp, request: Request) -> Reply:
    """Restore and reset ask first: a GET shows what will happen, a POST does it."""
    what, _, name = request.path.removeprefix("/admin/").partition("/")
    if request.method == "GET":
        return page(app, "confirm.html", f"Confirm {what}", what=what, name=name)
    try:
        if what == "restore":
            state.restore_snapshot(app.store, name)
        else:
            state.reset(app.store, keep_demo=request.form.get("keep_demo") == "1")
    except state.StateError as error:
        return page(app, "confirm.html", f"Confirm {what}", what=what, name=name, error=str(error))
    return redirect("/admin?done=" + quote_plus(f"{what} {name}".strip()))


_ROUTES: list[tuple[str, re.Pattern[str], Page]] = [
    ("GET POST", re.compile(r"/sign-in"), sign_in),
    ("POST", re.compile(r"/sign-out"), sign_out),
    ("GET", re.compile(r"/"), _signed(overview)),
    ("GET", re.compile(r"/accounts"), _signed(accounts)),
    ("GET", re.compile(r"/accounts/\d{1,19}"), _signed(account)),
    ("GET", re.compile(r"/images"), _signed(images)),
    ("GET", re.compile(r"/images/[A-Za-z0-9-]{1,64}"), _signed(image)),
    ("GET", re.compile(r"/graph"), _signed(share_graph)),
    ("GET", re.compile(r"/requests"), _signed(requests)),
    ("GET", re.compile(r"/admin"), _signed(admin)),
    ("POST", re.compile(r"/admin/snapshot"), _signed(snapshot)),
    ("GET POST", re.compile(r"/admin/restore/[A-Za-z0-9._-]{1,128}"), _signed(confirm)),
    ("GET POST", re.compile(r"/admin/reset"), _signed(confirm)),
]


def not_found(_app: ConsoleApp, _request: Request) -> Reply:
    return Reply(404, render("off.html", title="Not found"))


def route(request: Request) -> Page:
    for methods, pattern, handler in _ROUTES:
        if request.method in methods.split() and pattern.fullmatch(request.path):
            return handler
    return not_found
