"""Two `imageshare serve` processes with two workers each on one database, and many clients
racing each other through the official SWAS SDK over HTTP: on PostgreSQL, and on SQLite,
whose single writer must make clients wait, never fail.

Clients alternate between the two servers, so the races cross processes and connections; the
only thing the servers share is the database, which is what must referee.
"""

from __future__ import annotations

import random
import re
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from functools import partial

import pytest
from alibabacloud_swas_open20200601 import models as swas
from scaleout_load import (
    LIMIT,
    QUOTA_CODE,
    Answer,
    Cluster,
    ask,
    assert_logs_clean,
    assert_no_lock_symptoms,
    cluster,
    make_accounts,
    race,
    unexpected,
)
from support import raw
from support.swas import REGION, custom_image, disk_of, server, share, share_users, snapshot
from support.swas import unique as unique_name
from support.world import AccountKeys, World

RACERS = 12
# Shares an image already has when the racers start: from empty, and right at the limit.
PREFILLS = (0, LIMIT - 3, LIMIT - 1)
CHURN_CLIENTS = 8
CHURN_STEPS = 24
CHURN_SECONDS = 30.0
MISMATCH = (400, "IdempotentParameterMismatch")
# Lost races are narrow windows: repeating them makes a broken lock or claim show every run.
RACE_ROUNDS = 2
TOKEN_ROUNDS = 3


@pytest.fixture(scope="module")
def farm(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    with cluster(backend, tmp_path_factory.mktemp(f"scaleout-{backend}")) as running:
        yield running


def add_call(
    world: World, owner: AccountKeys, image_id: str, accounts: Sequence[int], token: str = ""
) -> Callable[[], Answer]:
    """An AddCustomImageShareAccount ready to fire (its client is built now, not in the race)."""
    client = world.swas(owner)
    request = swas.AddCustomImageShareAccountRequest(
        region_id=REGION, image_id=image_id, account=list(accounts), client_token=token or None
    )
    return lambda: ask(lambda: client.add_custom_image_share_account(request))


def remove_call(
    world: World, owner: AccountKeys, image_id: str, accounts: Sequence[int]
) -> Callable[[], Answer]:
    client = world.swas(owner)
    request = swas.RemoveCustomImageShareAccountRequest(
        region_id=REGION, image_id=image_id, account=list(accounts)
    )
    return lambda: ask(lambda: client.remove_custom_image_share_account(request))


def test_servers_started_together_make_one_schema_and_one_demo_account(farm: Cluster) -> None:
    with farm.store.unit_of_work() as uow:
        demos = [account.id for account in uow.accounts.list() if account.is_demo]
    assert len(demos) == 1
    banner_keys = {re.findall(r"AccessKeyId\s+(\S+)", server.log())[0] for server in farm.servers}
    assert len(banner_keys) == 1, "both servers must print the one demo key"


def limit_race(farm: Cluster, owner: AccountKeys, prefill: int) -> None:
    """A new image with ``prefill`` shares; RACERS clients each add their own account to it
    at once. All are distinct, so exactly the free places are taken, whatever the order,
    and every other racer is told the quota is exceeded."""
    world = farm.world()
    image_id = custom_image(world, owner)
    initial = [a.id for a in make_accounts(farm.store, prefill)]
    if initial:
        share(world, owner, image_id, *initial)
    racers = [a.id for a in make_accounts(farm.store, RACERS)]
    jobs = [add_call(farm.world(i), owner, image_id, [a]) for i, a in enumerate(racers)]
    answers = race(jobs)
    assert_no_lock_symptoms(answers)
    assert unexpected(answers, [(403, QUOTA_CODE)]) == []
    admitted = {account for account, answer in zip(racers, answers, strict=True) if answer.ok}
    assert len(admitted) == LIMIT - prefill
    assert sorted(share_users(world, owner, image_id)) == sorted({*initial, *admitted})


@pytest.mark.parametrize("prefill", PREFILLS)
def test_racing_adds_fill_an_image_exactly_to_the_limit(farm: Cluster, prefill: int) -> None:
    owner = make_accounts(farm.store, 1)[0]
    for _ in range(RACE_ROUNDS):
        limit_race(farm, owner, prefill)
    assert_logs_clean(farm.servers)


class ChurnClient:
    """Adds and removes its own accounts (no other client touches them) on shared images.

    Its calls are sequential, so the server serialised this client's changes to an account in
    the order it sent them: the last acknowledged call on an account decides whether the
    account ends up with the image. A refused add (quota) changes nothing.
    """

    def __init__(
        self, world: World, images: Sequence[tuple[AccountKeys, str]], accounts: Sequence[int]
    ) -> None:
        self.world, self.images, self.accounts = world, images, list(accounts)
        self.rng = random.Random(accounts[0])  # reproducible from the (logged) account ids
        self.expected: dict[tuple[str, int], bool] = {}
        self.answers: list[Answer] = []

    def run(self) -> None:
        deadline = time.monotonic() + CHURN_SECONDS
        for _ in range(CHURN_STEPS):
            if time.monotonic() > deadline:
                break
            self.step()

    def step(self) -> None:
        owner, image_id = self.rng.choice(self.images)
        accounts = self.rng.choice([self.accounts[:1], self.accounts[1:], self.accounts])
        adding = self.rng.random() < 0.7  # mostly adds, so the images sit at their limit
        make = add_call if adding else remove_call
        answer = make(self.world, owner, image_id, accounts)()
        self.answers.append(answer)
        if answer.ok:
            self.expected.update({(image_id, account): adding for account in accounts})


def watch_limits(world: World, images: Sequence[tuple[AccountKeys, str]]) -> list[int]:
    """Share counts read while the churn runs: no committed state may exceed the limit."""
    seen = []
    for _ in range(CHURN_STEPS):
        for owner, image_id in images:
            seen.append(len(share_users(world, owner, image_id)))
    return seen


def test_add_remove_churn_ends_where_the_acknowledged_answers_say(farm: Cluster) -> None:
    world = farm.world()
    owners = make_accounts(farm.store, 2)
    images = [(owner, custom_image(world, owner)) for owner in owners]  # two owners' images
    accounts = [a.id for a in make_accounts(farm.store, 2 * CHURN_CLIENTS)]
    clients = [
        ChurnClient(farm.world(i), images, accounts[2 * i : 2 * i + 2])
        for i in range(CHURN_CLIENTS)
    ]
    counts: list[int] = []
    race([*(c.run for c in clients), lambda: counts.extend(watch_limits(farm.world(1), images))])
    answers = [answer for c in clients for answer in c.answers]
    assert_no_lock_symptoms(answers)
    assert unexpected(answers, [(403, QUOTA_CODE)]) == []
    assert any(a.code == QUOTA_CODE for a in answers), "the churn never reached the limit"
    assert max(counts) <= LIMIT
    expected = {key: present for c in clients for key, present in c.expected.items()}
    for owner, image_id in images:
        users = share_users(world, owner, image_id)
        wanted = {
            account for (image, account), there in expected.items() if there and image == image_id
        }
        assert sorted(users) == sorted(wanted) and len(users) <= LIMIT
    assert_logs_clean(farm.servers)


def token_race(farm: Cluster, owner: AccountKeys, image_id: str, pair: Sequence[int]) -> int:
    """Half the clients send one new token with ``pair[0]``, half with ``pair[1]``: the first
    to commit wins; its half all get its answer, the other half IdempotentParameterMismatch.
    Returns the account that won."""
    token = str(uuid.uuid4())
    jobs = [add_call(farm.world(i), owner, image_id, [pair[i % 2]], token) for i in range(RACERS)]
    answers = race(jobs)
    assert_no_lock_symptoms(answers)
    halves = {pair[0]: answers[0::2], pair[1]: answers[1::2]}
    winners = [account for account, half in halves.items() if any(a.ok for a in half)]
    assert len(winners) == 1, answers
    loser = pair[1] if winners[0] == pair[0] else pair[0]
    assert all(a.ok for a in halves[winners[0]])
    assert all((a.status, a.code) == MISMATCH for a in halves[loser])
    replies = [{k: v for k, v in a.body.items() if k != "RequestId"} for a in halves[winners[0]]]
    assert all(reply == replies[0] for reply in replies)
    assert len({a.body["RequestId"] for a in answers}) == len(answers)
    return winners[0]


def test_a_request_replayed_at_every_server_at_once_is_answered_once(farm: Cluster) -> None:
    """Nonces are shared through the database (on SQLite, its nonce ledger file): one signed
    request sent to both servers' workers at the same instant gets one answer, and every
    other copy is refused as a replay, in every round."""
    owner = make_accounts(farm.store, 1)[0]
    endpoints = [server.endpoint for server in farm.servers]
    for _ in range(TOKEN_ROUNDS):
        headers = raw.acs3_headers(
            endpoints[0], owner.key_id, owner.secret, "ListRegions", "2020-06-01", []
        )
        copies = [
            partial(raw.send, endpoints[i % len(endpoints)], [], headers) for i in range(RACERS)
        ]
        replies = race(copies)
        codes = sorted(reply.body.get("Code", "") for reply in replies if reply.status != 200)
        assert [reply.status for reply in replies].count(200) == 1
        assert codes == ["SignatureNonceUsed"] * (RACERS - 1)
    assert_logs_clean(farm.servers)


def test_one_client_token_from_many_clients_shares_once(farm: Cluster) -> None:
    owner = make_accounts(farm.store, 1)[0]
    image_id = custom_image(farm.world(), owner)
    winners = []
    for _ in range(TOKEN_ROUNDS):  # a new token and a new pair of accounts each round
        pair = [account.id for account in make_accounts(farm.store, 2)]
        winners.append(token_race(farm, owner, image_id, pair))
    assert sorted(share_users(farm.world(), owner, image_id)) == sorted(winners)
    assert_logs_clean(farm.servers)


def test_one_client_token_from_many_clients_creates_one_image(farm: Cluster) -> None:
    owner = make_accounts(farm.store, 1)[0]
    client = farm.world().swas(owner)
    instance_id = server(client)
    system = snapshot(client, disk_of(client, instance_id, "System"))
    name, token = unique_name("race"), str(uuid.uuid4())

    def create_call(world: World) -> Callable[[], Answer]:
        racer = world.swas(owner)
        request = swas.CreateCustomImageRequest(
            region_id=REGION,
            instance_id=instance_id,
            system_snapshot_id=system,
            image_name=name,
            client_token=token,
        )
        return lambda: ask(lambda: racer.create_custom_image(request))

    answers = race([create_call(farm.world(i)) for i in range(RACERS)])
    assert_no_lock_symptoms(answers)
    assert unexpected(answers, []) == []
    created = {a.body["ImageId"] for a in answers}
    assert len(created) == 1
    listed = client.list_custom_images(swas.ListCustomImagesRequest(region_id=REGION)).body
    assert [image.image_id for image in listed.custom_images] == list(created)
    assert_logs_clean(farm.servers)


def quota_round(farm: Cluster) -> None:
    """Ten clients race distinct creates for one server, whose quota is 3 custom images."""
    owner = make_accounts(farm.store, 1)[0]
    client = farm.world().swas(owner)
    instance_id = server(client)
    system = snapshot(client, disk_of(client, instance_id, "System"))

    def create_call(world: World) -> Callable[[], Answer]:
        racer = world.swas(owner)
        request = swas.CreateCustomImageRequest(
            region_id=REGION,
            instance_id=instance_id,
            system_snapshot_id=system,
            image_name=unique_name("quota"),
        )
        return lambda: ask(lambda: racer.create_custom_image(request))

    answers = race([create_call(farm.world(i)) for i in range(10)])
    assert_no_lock_symptoms(answers)
    assert unexpected(answers, [(400, "CustomImageQuotaLimit")]) == []
    assert sum(a.ok for a in answers) == 3
    listed = client.list_custom_images(swas.ListCustomImagesRequest(region_id=REGION)).body
    assert len(listed.custom_images) == 3


def test_racing_creates_never_pass_the_custom_image_quota(farm: Cluster) -> None:
    for _ in range(2):  # one round caught the unlocked count about half the time
        quota_round(farm)
    assert_logs_clean(farm.servers)
