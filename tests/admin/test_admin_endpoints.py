"""The /_imageshare/ admin endpoints over real HTTP, with the official SDK checking what the
API sees afterwards: health, the bearer token, reset, state export/import, snapshots."""

from __future__ import annotations

import asyncio
import json
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator, MutableMapping
from pathlib import Path
from typing import Any

import pytest
from alibabacloud_swas_open20200601 import models as swas
from state_support import ADMIN_TOKEN, admin_call, admin_server
from support.databases import migrated_database_url
from support.errors import tea_error

from imageshare.domain.times import utcnow
from imageshare.http.admin import AdminApp
from imageshare.services.accounts import create_account
from imageshare.store import migrate
from imageshare.store.database import Store
from imageshare.store.engine import make_engine
from imageshare.testing.server import RunningServer, serve_in_thread
from imageshare.testing.world import AccountKeys, World

REGION = "cn-hangzhou"


@pytest.fixture(scope="module")
def admin(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    with admin_server(backend, str(tmp_path_factory.mktemp(f"admin-{backend}"))) as server:
        yield server


@pytest.fixture
def world(admin: RunningServer) -> World:
    return World(admin.endpoint, admin.store)


def _images(world: World, who: AccountKeys) -> set[str]:
    request = swas.ListCustomImagesRequest(region_id=REGION, page_size=100)
    return {i.image_id for i in world.swas(who).list_custom_images(request).body.custom_images}


def _share(world: World, owner: AccountKeys, image_id: str, friend: AccountKeys) -> None:
    request = swas.AddCustomImageShareAccountRequest(
        region_id=REGION, image_id=image_id, account=[friend.id]
    )
    world.swas(owner).add_custom_image_share_account(request)


def test_health_needs_no_token_and_names_the_schema(admin: RunningServer) -> None:
    reply = admin_call(admin, "GET", "health", token=None)
    assert reply.status == 200
    assert reply.body["status"] == "ok" and reply.body["version"]
    assert reply.body["schema_revision"] == migrate.head_revision(admin.store.engine)


PROTECTED = [
    ("POST", "reset"),
    ("GET", "state"),
    ("PUT", "state"),
    ("GET", "snapshots"),
    ("POST", "snapshots"),
    ("POST", "snapshots/any/restore"),
    ("DELETE", "snapshots/any"),
]


@pytest.mark.parametrize(("method", "path"), PROTECTED, ids=[f"{m} {p}" for m, p in PROTECTED])
@pytest.mark.parametrize(
    ("token", "code"), [(None, "MissingToken"), ("wrong-token-000000", "InvalidToken")]
)
def test_everything_else_needs_the_bearer_token(
    admin: RunningServer, method: str, path: str, token: str | None, code: str
) -> None:
    reply = admin_call(admin, method, path, body={}, token=token)
    assert (reply.status, reply.body["code"]) == (401, code)
    assert reply.headers["www-authenticate"].startswith("Bearer")
    assert reply.body["message"]


def test_the_bearer_token_opens_the_admin_endpoints(admin: RunningServer) -> None:
    assert _status_with_header(admin, f"Bearer {ADMIN_TOKEN}") == 200


@pytest.mark.parametrize(
    "header",
    [f"Basic {ADMIN_TOKEN}", ADMIN_TOKEN, "Bearer", f"Bearer {ADMIN_TOKEN[:-1]}"],
    ids=["basic", "bare-token", "bearer-alone", "token-prefix"],
)
def test_other_schemes_and_prefixes_of_the_token_are_refused(
    admin: RunningServer, header: str
) -> None:
    assert _status_with_header(admin, header) == 401, header


def _status_with_header(server: RunningServer, header: str) -> int:
    request = urllib.request.Request(
        f"{server.url}/_imageshare/snapshots", headers={"Authorization": header}
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return error.code


def test_without_a_configured_token_only_health_answers(tmp_path: Path) -> None:
    with migrated_database_url("sqlite", str(tmp_path)) as url, serve_in_thread(url) as server:
        assert admin_call(server, "GET", "health", token=None).status == 200
        reply = admin_call(server, "POST", "reset", token=ADMIN_TOKEN)
        assert (reply.status, reply.body["code"]) == (403, "AdminDisabled")
        assert "--admin-token" in reply.body["message"]


@pytest.mark.parametrize("path", ["nope", "snapshots/a/b/c", "snapshots/", ""])
def test_unknown_paths(admin: RunningServer, path: str) -> None:
    reply = admin_call(admin, "GET", path)
    assert (reply.status, reply.body["code"]) == (404, "NotFound"), path


def test_unknown_methods(admin: RunningServer) -> None:
    reply = admin_call(admin, "DELETE", "state")
    assert (reply.status, reply.body["code"]) == (405, "MethodNotAllowed")
    assert reply.headers["allow"] == "GET, PUT"


def test_reset_forgets_accounts_but_keeps_the_demo_key_working(
    admin: RunningServer, world: World
) -> None:
    now = utcnow()
    with admin.store.unit_of_work(write=True) as uow:
        demo, key = create_account(uow, site="china", now=now, demo=True)
        uow.commit()
    demo_keys = AccountKeys(demo.id, demo.site, key.id, key.secret)
    user = world.account()
    world.swas_image(user)
    reply = admin_call(admin, "POST", "reset")
    assert reply.status == 200 and reply.body["demo_account_id"] == demo.id
    assert reply.body["milliseconds"] >= 0
    error = tea_error(lambda: world.swas(user).list_regions(swas.ListRegionsRequest()))
    assert (error.code, error.status) == ("InvalidAccessKeyId.NotFound", 404)
    assert world.swas(demo_keys).list_regions(swas.ListRegionsRequest()).body.regions
    refused = admin_call(admin, "POST", "reset?keep_demo=flase")
    assert (refused.status, refused.body["code"]) == (400, "InvalidParameter")
    assert "keep_demo is true or false" in refused.body["message"]
    assert world.swas(demo_keys).list_regions(swas.ListRegionsRequest()).body.regions
    reply = admin_call(admin, "POST", "reset?keep_demo=false")
    assert reply.body["demo_account_id"] is None
    error = tea_error(lambda: world.swas(demo_keys).list_regions(swas.ListRegionsRequest()))
    assert error.code == "InvalidAccessKeyId.NotFound"


def test_state_export_then_import_brings_back_what_the_api_sees(
    admin: RunningServer, world: World
) -> None:
    owner, friend = world.account(), world.account()
    image = world.swas_image(owner)
    _share(world, owner, image.id, friend)
    exported = admin_call(admin, "GET", "state")
    assert exported.status == 200 and exported.body["format"] == "imageshare-state"
    admin_call(admin, "POST", "reset")
    assert admin_call(admin, "GET", "state").body["tables"]["images"] == []
    imported = admin_call(admin, "PUT", "state", body=exported.body)
    assert imported.status == 200 and imported.body["imported"]["images"] == 1
    assert admin_call(admin, "GET", "state").body["tables"] == exported.body["tables"]
    assert _images(world, friend) == {image.id}


REFUSED_IMPORTS = [
    (b"{not json", 400, "InvalidJson"),
    (b"[" * 100_000, 400, "InvalidJson"),
    (b'{"format": "other"}', 400, "StateFormatError"),
    (b'{"format": "imageshare-state", "format_version": 1, "schema_revision": "0"}', 409, ""),
]


@pytest.mark.parametrize(
    ("body", "status", "code"),
    REFUSED_IMPORTS,
    ids=["not-json", "deep-nesting", "other-format", "other-revision"],
)
def test_a_refused_import_answers_why_and_changes_nothing(
    admin: RunningServer, world: World, body: bytes, status: int, code: str
) -> None:
    world.swas_image(world.account())
    before = admin_call(admin, "GET", "state").body
    reply = admin_call(admin, "PUT", "state", raw_body=body)
    assert reply.status == status, reply.body
    assert reply.body["code"] == (code or "SchemaMismatch")
    assert reply.body["message"]
    assert admin_call(admin, "GET", "state").body["tables"] == before["tables"]


def test_snapshot_restore_replays_client_tokens_saved_with_it(
    admin: RunningServer, world: World
) -> None:
    owner = world.account()
    source = world.swas_image(owner)
    token = str(uuid.uuid4())
    request = swas.CreateCustomImageRequest(
        region_id=REGION,
        instance_id=source.instance_id,
        system_snapshot_id=source.system_snapshot_id,
        image_name="with-token",
        client_token=token,
    )
    first = world.swas(owner).create_custom_image(request).body.image_id
    name = f"idem-{uuid.uuid4().hex[:8]}"
    saved = admin_call(admin, "POST", "snapshots", body={"name": name})
    assert saved.status == 201 and saved.body["name"] == name and saved.body["size_bytes"] > 0
    later = world.swas_image(owner).id
    restored = admin_call(admin, "POST", f"snapshots/{name}/restore")
    assert restored.status == 200 and restored.body["rows"]["idempotency_records"] >= 1
    assert _images(world, owner) == {source.id, first} and later not in _images(world, owner)
    assert world.swas(owner).create_custom_image(request).body.image_id == first
    assert _images(world, owner) == {source.id, first}


def test_snapshot_list_conflict_replace_and_delete(admin: RunningServer) -> None:
    name = f"life-{uuid.uuid4().hex[:8]}"
    assert admin_call(admin, "POST", "snapshots", body={"name": name}).status == 201
    conflict = admin_call(admin, "POST", "snapshots", body={"name": name})
    assert (conflict.status, conflict.body["code"]) == (409, "SnapshotExists")
    replaced = admin_call(admin, "POST", "snapshots", body={"name": name, "replace": True})
    assert replaced.status == 201
    listed = admin_call(admin, "GET", "snapshots").body["snapshots"]
    assert [s["name"] for s in listed].count(name) == 1
    entry = next(s for s in listed if s["name"] == name)
    assert entry["created_at"].endswith("Z") and entry["schema_revision"]
    assert admin_call(admin, "DELETE", f"snapshots/{name}").body == {"deleted": name}
    for method, path in [("DELETE", f"snapshots/{name}"), ("POST", f"snapshots/{name}/restore")]:
        reply = admin_call(admin, method, path)
        assert (reply.status, reply.body["code"]) == (404, "SnapshotNotFound")


@pytest.mark.parametrize(
    "body",
    [{}, {"name": 7}, ["x"], {"name": "ok", "replace": "yes"}],
    ids=["no-name", "name-not-text", "not-an-object", "replace-not-boolean"],
)
def test_snapshot_requests_are_checked(admin: RunningServer, body: Any) -> None:
    reply = admin_call(admin, "POST", "snapshots", body=body)
    assert (reply.status, reply.body["code"]) == (400, "InvalidBody"), body


def test_a_snapshot_name_outside_the_rules_is_refused_and_says_why(admin: RunningServer) -> None:
    reply = admin_call(admin, "POST", "snapshots", body={"name": "../x"})
    assert (reply.status, reply.body["code"]) == (400, "InvalidSnapshotName")
    assert "letters, digits" in reply.body["message"]


def _asgi_call(app: AdminApp, method: str, path: str) -> tuple[int, dict[str, Any]]:
    """One request straight into the ASGI callable, no server."""
    sent: list[MutableMapping[str, Any]] = []

    async def receive() -> MutableMapping[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: MutableMapping[str, Any]) -> None:
        sent.append(message)

    headers = [(b"authorization", f"Bearer {ADMIN_TOKEN}".encode())]
    scope = {"type": "http", "method": method, "path": path, "headers": headers}
    asyncio.run(app(scope, receive, send))
    return int(sent[0]["status"]), json.loads(sent[1]["body"])


def test_a_database_that_does_not_answer_is_503_on_health_and_500_elsewhere(
    tmp_path: Path,
) -> None:
    unreachable = Store(make_engine(f"sqlite:///{tmp_path}/missing-dir/db.sqlite"))
    app = AdminApp(unreachable, ADMIN_TOKEN)
    status, body = _asgi_call(app, "GET", "/_imageshare/health")
    assert status == 503 and body["status"] == "unavailable"
    assert "does not answer" in str(body["message"])
    status, body = _asgi_call(app, "POST", "/_imageshare/reset")
    assert (status, body["code"]) == (500, "InternalError")
    unreachable.dispose()
