"""The imageshare scenarios as lanes of pre-signed requests (see ``bench/loadgen.py``).

- ``write``: AddCustomImageShareAccount then RemoveCustomImageShareAccount of the same
  account, over and over, each with a fresh ClientToken; lane ``i`` works on its own image so
  every call succeeds and the per-image limit is never in the way.
- ``read``: ListCustomImageShareAccounts of an image shared with 10 accounts.
- ``list-images``: ListCustomImages (default page) by a recipient that sees 210 images.
- ``ecs-images``: ECS DescribeImages by the same recipient.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass

from bench.actors import REGION, Actor, Actors
from bench.loadgen import Lane
from bench.presign import ApiCall, signed_request

SWAS_VERSION = "2020-06-01"
ECS_VERSION = "2014-05-26"

CallMaker = Callable[[Actors, int, int], tuple[Actor, ApiCall]]


def _share_call(actors: Actors, lane: int, step: int) -> tuple[Actor, ApiCall]:
    action = "AddCustomImageShareAccount" if step % 2 == 0 else "RemoveCustomImageShareAccount"
    params = (
        ("Account.1", str(actors.target.account_id)),
        ("ClientToken", uuid.uuid4().hex),
        ("ImageId", actors.write_images[lane]),
        ("RegionId", REGION),
    )
    return actors.writer, ApiCall(action, SWAS_VERSION, params)


def _list_shares_call(actors: Actors, _lane: int, _step: int) -> tuple[Actor, ApiCall]:
    params = (("ImageId", actors.listed_image), ("RegionId", REGION))
    return actors.writer, ApiCall("ListCustomImageShareAccounts", SWAS_VERSION, params)


def _list_images_call(actors: Actors, _lane: int, _step: int) -> tuple[Actor, ApiCall]:
    params = (("RegionId", REGION),)
    return actors.recipient, ApiCall("ListCustomImages", SWAS_VERSION, params)


def _ecs_images_call(actors: Actors, _lane: int, _step: int) -> tuple[Actor, ApiCall]:
    params = (("RegionId", REGION),)
    return actors.recipient, ApiCall("DescribeImages", ECS_VERSION, params)


@dataclass(frozen=True)
class Scenario:
    name: str
    title: str
    make_call: CallMaker
    writes: bool = False


SCENARIOS = {
    s.name: s
    for s in (
        Scenario("write", "Add + Remove share (ClientToken)", _share_call, writes=True),
        Scenario("read", "ListCustomImageShareAccounts", _list_shares_call),
        Scenario("list-images", "ListCustomImages (recipient)", _list_images_call),
        Scenario("ecs-images", "ECS DescribeImages (recipient)", _ecs_images_call),
    )
}


def build_lanes(
    scenario: Scenario, actors: Actors, host: str, *, lanes: int, count: int, scheme: str
) -> list[Lane]:
    """``count`` requests (rounded up to whole Add/Remove pairs per lane), signed now.

    :raises ValueError: more lanes than the actors have write images, or an unknown scheme.
    """
    if lanes > len(actors.write_images):
        raise ValueError(f"{lanes} lanes but only {len(actors.write_images)} write images")
    per_lane = max(2, -(-count // lanes))
    per_lane += per_lane % 2  # whole Add/Remove pairs leave every image as it was
    built: list[Lane] = []
    for lane in range(lanes):
        requests = []
        for step in range(per_lane):
            who, call = scenario.make_call(actors, lane, step)
            requests.append(signed_request(scheme, host, who.credentials, call))
        built.append(requests)
    return built
