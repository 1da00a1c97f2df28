"""The accounts, keys and images the scenarios act on, made straight in the store.

Accounts and keys come from the same service the CLI uses (``create_account``); images are
written through the image and share repositories, as ``CreateCustomImage`` would leave them,
without the instances and snapshots they were made from (no scenario reads those).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from bench.presign import Credentials
from imageshare.domain.ids import new_resource_id
from imageshare.services.accounts import create_account
from imageshare.store import migrate
from imageshare.store.engine import make_engine

if TYPE_CHECKING:
    from imageshare.store.uow import UnitOfWork

REGION = "cn-hangzhou"
# A recipient "that sees many shared images": 20 owners share 10 images each with it (SWAS
# allows an owner at most 15 custom images per region, so many owners are needed).
SHARING_OWNERS = 20
IMAGES_PER_SHARING_OWNER = 10
# The recipient's own SWAS images shared to its ECS: what its ECS DescribeImages lists.
RECIPIENT_IMAGES_IN_ECS = 10
# ListCustomImageShareAccounts reads an image shared with the SWAS maximum of 10 accounts.
LISTED_IMAGE_SHARES = 10


@dataclass(frozen=True)
class Actor:
    account_id: int
    key_id: str
    secret: str

    @property
    def credentials(self) -> Credentials:
        return Credentials(self.key_id, self.secret)


@dataclass(frozen=True)
class Actors:
    """Who does what: ``writer`` shares ``write_images[i]`` with ``target`` on lane ``i``;
    ``listed_image`` is shared with 10 accounts; ``recipient`` sees 200 shared images."""

    writer: Actor
    target: Actor
    write_images: tuple[str, ...]
    listed_image: str
    recipient: Actor
    recipient_visible: int

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str) -> Actors:
        data = json.loads(text)
        return cls(
            writer=Actor(**data["writer"]),
            target=Actor(**data["target"]),
            write_images=tuple(data["write_images"]),
            listed_image=data["listed_image"],
            recipient=Actor(**data["recipient"]),
            recipient_visible=data["recipient_visible"],
        )


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _actor(uow: UnitOfWork, now: datetime) -> Actor:
    account, key = create_account(uow, site="china", now=now)
    return Actor(account.id, key.id, key.secret)


def _image(uow: UnitOfWork, owner: int, now: datetime, *, in_ecs: bool = False) -> str:
    # Imported here, as Store below: instructions.py imports this module to replay older
    # revisions, where these lived elsewhere.
    from imageshare.domain.images import Image
    from imageshare.domain.products import ImageProduct
    from imageshare.domain.swas import STATUS_AVAILABLE

    image = Image(
        id=new_resource_id("m"),
        account_id=owner,
        region_id=REGION,
        product=ImageProduct.SWAS,
        name=new_resource_id("bench"),
        description="made by bench/actors.py",
        status=STATUS_AVAILABLE,
        platform="Linux",
        source_instance_id=None,
        system_snapshot_id=None,
        data_snapshot_id=None,
        system_disk_size=40,
        data_disk_size=0,
        resource_group_id=None,
        shared_to_ecs=in_ecs,
        created_at=now,
    )
    uow.images.add(image, [])
    return image.id


def _recipient(uow: UnitOfWork, now: datetime) -> tuple[Actor, int]:
    recipient = _actor(uow, now)
    for _ in range(RECIPIENT_IMAGES_IN_ECS):
        _image(uow, recipient.account_id, now, in_ecs=True)
    for owner_index in range(SHARING_OWNERS):
        owner = _actor(uow, now)
        for image_index in range(IMAGES_PER_SHARING_OWNER):
            # Distinct creation times give the listing a stable, realistic order.
            created = now - timedelta(minutes=owner_index * 60 + image_index)
            image_id = _image(uow, owner.account_id, created)
            uow.shares.add(image_id, [recipient.account_id], created)
    return recipient, RECIPIENT_IMAGES_IN_ECS + SHARING_OWNERS * IMAGES_PER_SHARING_OWNER


def create_actors(uow: UnitOfWork, lanes: int) -> Actors:
    """Everything the four scenarios need; ``lanes`` images for the write scenario."""
    now = utcnow()
    writer, target = _actor(uow, now), _actor(uow, now)
    write_images = tuple(_image(uow, writer.account_id, now) for _ in range(lanes))
    listed_image = _image(uow, writer.account_id, now)
    readers = [_actor(uow, now).account_id for _ in range(LISTED_IMAGE_SHARES)]
    uow.shares.add(listed_image, readers, now)
    recipient, visible = _recipient(uow, now)
    return Actors(writer, target, write_images, listed_image, recipient, visible)


def prepare(database_url: str, lanes: int) -> Actors:
    """Migrate the database (harmless when current) and add a fresh set of actors to it."""
    # Imported here: instructions.py imports this module to replay older revisions, whose
    # Store lived elsewhere.
    from imageshare.store.database import Store

    store = Store(make_engine(database_url))
    try:
        migrate.upgrade(store.engine)
        with store.unit_of_work(write=True) as uow:
            actors = create_actors(uow, lanes)
            uow.commit()
        return actors
    finally:
        store.dispose()
