"""Loading a valid world into the store: all of it in one unit of work, or nothing.

Accounts and their keys are written as the admin commands write them (there is no API for
them, as on the real cloud); everything else goes through the same service functions the API
calls, so every product rule applies (name rules, quotas, sites, sharing with oneself...).
Order: each account in file order (keys, RAM, SWAS, ECD, ECS), then the shares, which may name
accounts declared after the image, then the fault rules. docs/world-files.md.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from imageshare.domain import ids
from imageshare.domain.accounts import AccessKey, Account
from imageshare.domain.ecs import ECS_SHARE_LIMIT, ECS_SHARING
from imageshare.domain.products import ImageProduct
from imageshare.domain.sharing import ECD_SHARE_LIMIT, ECD_SHARING, SWAS_SHARING
from imageshare.services import accounts as account_service
from imageshare.services import image_sharing
from imageshare.store.database import Store
from imageshare.world.faults import load_fault
from imageshare.world.load_ram import load_ram
from imageshare.world.load_resources import load_ecd, load_ecs, load_swas
from imageshare.world.loading import Clock, LoadedAccount, LoadedKey, LoadedWorld, Loading
from imageshare.world.model import AccountSpec, ShareSpec
from imageshare.world.problems import Path, WorldRefused
from imageshare.world.schema import WorldFile

RELOAD_HINT = (
    "was this world loaded already? Load it into a fresh database, or empty this one first "
    "(`imageshare state reset --drop-demo`)"
)


def load_world(
    store: Store, world: WorldFile, *, now: datetime, swas_share_limit: int
) -> LoadedWorld:
    """Create everything ``world`` declares, committed together.

    Args:
        store: the database to load into (migrated).
        world: a parsed, valid world file.
        now: the creation time of the first entry (UTC, naive).
        swas_share_limit: accounts a SWAS image may be shared with (the server's setting).

    :raises WorldRefused: an entry broke a product rule or clashes with the database's
        contents (an account, key or image id already there); nothing was written.
    """
    with store.unit_of_work(write=True) as uow:
        loading = Loading(uow, world.lines, Clock(now), swas_share_limit)
        _refuse_existing(loading, world)
        for i, account in enumerate(world.spec.accounts):
            _load_account(loading, account, ("accounts", i))
        for i, share in enumerate(world.spec.shares):
            _load_share(loading, share, ("shares", i))
        for i, rule in enumerate(world.spec.faults):
            load_fault(loading, rule, ("faults", i))
        uow.commit()
    return loading.result


def _refuse_existing(loading: Loading, world: WorldFile) -> None:
    """Fixed account, key and image ids must be new: every clash, before any write.

    :raises WorldRefused: one problem per id the database already has.
    """
    uow, clashes = loading.uow, list[tuple[Path, str]]()
    for i, account in enumerate(world.spec.accounts):
        path: Path = ("accounts", i)
        if account.id is not None and uow.accounts.get(account.id) is not None:
            clashes.append(((*path, "id"), f"account {account.id}"))
        clashes += [
            (at, f"access key {key_id}")
            for at, key_id in _fixed_keys(account, path)
            if uow.access_keys.get(key_id) is not None
        ]
        for product, n, image_id in account.fixed_image_ids():
            if any(
                uow.images.find(image_id, p)
                for p in (ImageProduct.SWAS, ImageProduct.ECD, ImageProduct.ECS)
            ):
                clashes.append(((*path, product, "images", n, "id"), f"image {image_id}"))
    if clashes:
        # The hint once, on the first clash: the rest are the same story.
        hints = [f": {RELOAD_HINT}"] + [""] * (len(clashes) - 1)
        raise WorldRefused(
            [
                loading.lines.problem(at, f"{what} already exists in this database{hint}")
                for (at, what), hint in zip(clashes, hints, strict=True)
            ]
        )


def _fixed_keys(account: AccountSpec, path: Path) -> list[tuple[Path, str]]:
    """(where, id) of the account's root keys and its RAM users' keys."""
    held: list[tuple[Path, str]] = [
        ((*path, "access_keys", k, "id"), key.id) for k, key in enumerate(account.access_keys or [])
    ]
    for u, user in enumerate(account.ram.users):
        at: Path = (*path, "ram", "users", u, "access_keys")
        held += [((*at, k, "id"), key.id) for k, key in enumerate(user.access_keys)]
    return held


def _load_account(loading: Loading, spec: AccountSpec, path: Path) -> None:
    uow = loading.uow
    with loading.at(path):
        account_id = spec.id if spec.id is not None else _new_account_id(loading)
        uow.accounts.add(Account(account_id, spec.site, False, loading.clock.now()))
        keys = _root_keys(loading, spec, account_id)
    loading.account_ids[spec.name] = account_id
    keys += load_ram(loading, spec.ram, account_id, (*path, "ram"))
    load_swas(loading, spec, account_id, (*path, "swas"))
    load_ecd(loading, spec, account_id, (*path, "ecd"))
    load_ecs(loading, spec, account_id, (*path, "ecs"))
    loading.result.accounts.append(LoadedAccount(spec.name, account_id, spec.site, tuple(keys)))


def _new_account_id(loading: Loading) -> int:
    account_id = ids.new_account_id()
    while loading.uow.accounts.get(account_id) is not None:  # pragma: no cover - 1 in 9e14
        account_id = ids.new_account_id()
    return account_id


def _root_keys(loading: Loading, spec: AccountSpec, account_id: int) -> list[LoadedKey]:
    """The file's fixed root keys; one generated key when it gives none at all."""
    if spec.access_keys is None:
        now = loading.clock.now()
        key = account_service.create_key(loading.uow, account_id=account_id, now=now)
        return [LoadedKey(key.id, key.secret, None)]
    for fixed in spec.access_keys:
        key = AccessKey(fixed.id, account_id, None, fixed.secret, "Active", loading.clock.now())
        loading.uow.access_keys.add(key)
    return [LoadedKey(key.id, key.secret, None) for key in spec.access_keys]


def _load_share(loading: Loading, spec: ShareSpec, path: Path) -> None:
    field, reference = spec.image()
    product = {
        "swas_image": ImageProduct.SWAS,
        "ecd_image": ImageProduct.ECD,
        "ecs_image": ImageProduct.ECS,
    }[field]
    owner, _, name = reference.partition("/")
    index = loading.images[(owner, product, name)]
    image = loading.result.images[index]
    recipients = [loading.account_ids.get(r) or int(r) for r in spec.accounts]
    owner_id = loading.account_ids[owner]
    with loading.at(path):
        rules, limit = {
            ImageProduct.SWAS: (SWAS_SHARING, loading.swas_share_limit),
            ImageProduct.ECD: (ECD_SHARING, ECD_SHARE_LIMIT),
            ImageProduct.ECS: (ECS_SHARING, ECS_SHARE_LIMIT),
        }[product]
        target = image_sharing.ShareTarget(owner_id, image.region, image.id, rules)
        change = image_sharing.ShareChange(adding=recipients)
        image_sharing.change_shares(loading.uow, target, change, limit, loading.clock.now())
    shared = tuple(dict.fromkeys((*image.shared_with, *recipients)))
    loading.result.images[index] = replace(image, shared_with=shared)
    loading.result.counts["shares"] += len(shared) - len(image.shared_with)
