"""The image and share statements every share, unshare and share listing runs, compiled once
(see imageshare.store.engine.Prepared and docs/performance.md: building and executing a Core
statement through SQLAlchemy costs several times the database's own work)."""

from __future__ import annotations

import functools

from sqlalchemy import and_, bindparam, delete, func, insert, or_, select

from imageshare.store.prepared import CountedPage, Prepared, id_binds
from imageshare.store.tables import image_shares, image_tags, images

IMAGE_FIELDS = (
    "id", "account_id", "region_id", "product", "name", "description", "status", "platform",
    "source_instance_id", "system_snapshot_id", "data_snapshot_id", "system_disk_size",
    "data_disk_size", "resource_group_id", "shared_to_ecs", "created_at", "encryption_key_id",
    "ready_at", "updated_at", "architecture", "os_name", "image_family", "boot_mode",
    "copied_from", "published_at",
)  # fmt: skip

_IMAGE_COLUMNS = [images.c[name] for name in IMAGE_FIELDS]
_IS_OWNED = (
    images.c.id == bindparam("image_id"),
    images.c.account_id == bindparam("account_id"),
    images.c.region_id == bindparam("region_id"),
    images.c.product == bindparam("product"),
)
_OWNED = select(*_IMAGE_COLUMNS).where(*_IS_OWNED)
OWNED = Prepared(_OWNED)
# FOR UPDATE on PostgreSQL; SQLite compiles it away (its writers hold the database lock).
OWNED_LOCKED = Prepared(_OWNED.with_for_update())
# For a caller that needs no more than to know the image is its own: one column.
_OWNS = select(images.c.id).where(*_IS_OWNED)
OWNS = Prepared(_OWNS)
OWNS_LOCKED = Prepared(_OWNS.with_for_update())
# For a share: what decides whether the caller's image may be shared, its row locked.
SHARE_STATE_LOCKED = Prepared(
    select(images.c.encryption_key_id, images.c.ready_at).where(*_IS_OWNED).with_for_update()
)

# What an account's ECS DescribeImages lists: its SWAS images shared to ECS, and its ECS
# images. Parameters: account_id, region_id, swas, ecs (the product names).
_i = images.c
IN_ECS = and_(
    _i.account_id == bindparam("account_id"),
    _i.region_id == bindparam("region_id"),
    or_(and_(_i.product == bindparam("swas"), _i.shared_to_ecs), _i.product == bindparam("ecs")),
)
IN_ECS_ORDER = (_i.created_at.desc(), _i.id)
# With no ImageId filter (nearly every call), the count and the page are prepared.
PAGE_IN_ECS = CountedPage(
    select(func.count()).select_from(images).where(IN_ECS),
    select(*_IMAGE_COLUMNS)
    .where(IN_ECS)
    .order_by(*IN_ECS_ORDER)
    .limit(bindparam("limit"))
    .offset(bindparam("offset")),
)

_s = image_shares.c
SHARE_ACCOUNTS = Prepared(select(_s.account_id).where(_s.image_id == bindparam("image_id")))
ADD_SHARE = Prepared(insert(image_shares), columns=("image_id", "account_id", "shared_at"))
REMOVE_SHARE = Prepared(
    delete(image_shares).where(
        _s.image_id == bindparam("image_id"), _s.account_id == bindparam("account_id")
    )
)
PAGE_SHARES = CountedPage(
    select(func.count()).where(_s.image_id == bindparam("image_id")),
    select(_s.account_id, _s.shared_at)
    .where(_s.image_id == bindparam("image_id"))
    .order_by(_s.shared_at, _s.account_id)
    .limit(bindparam("limit"))
    .offset(bindparam("offset")),
)


@functools.lru_cache(maxsize=128)
def tags_of(count: int) -> Prepared:
    """The tags of ``count`` images (parameters ``id_0`` ...), by image and key."""
    t = image_tags.c
    query = select(t.image_id, t.key, t.value).where(t.image_id.in_(id_binds(t.image_id, count)))
    return Prepared(query.order_by(t.image_id, t.key))
