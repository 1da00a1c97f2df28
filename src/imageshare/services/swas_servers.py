"""Simple Application Servers, their disks and snapshots: the path to a custom image.

An emulated server is Running the moment it is created, and a snapshot is Accomplished the
moment it is taken: there is no machine behind them, only what the API reports.
"""

from __future__ import annotations

from datetime import datetime

from imageshare.domain.ids import new_resource_id
from imageshare.domain.paging import Page
from imageshare.domain.swas import (
    Disk,
    Instance,
    Snapshot,
    expiry,
    new_instance_id,
    valid_snapshot_name,
)
from imageshare.domain.swas_plans import Plan, plan
from imageshare.errors import (
    DiskNotFound,
    InvalidAmount,
    InvalidChargeType,
    InvalidDataDiskSize,
    InvalidPeriod,
    InvalidSnapshotName,
    PlanDiskTooSmall,
    PlanNotFound,
    PlatformNotMatch,
    SnapshotLimitExceed,
    SnapshotNameDuplicate,
)
from imageshare.services import source_images
from imageshare.store.swas import DiskFilter, InstanceFilter, SnapshotFilter
from imageshare.store.uow import UnitOfWork
from imageshare.values import frozen

PERIODS = frozenset({1, 3, 6, 12, 24, 36})
MAX_AMOUNT = 20
MAX_DATA_DISK_SIZE = 16380
SNAPSHOTS_PER_INSTANCE = 3


@frozen
class Order:
    region_id: str
    image_id: str
    plan_id: str
    period: int
    amount: int = 1
    data_disk_size: int | None = None
    charge_type: str | None = None


def create_instances(uow: UnitOfWork, account_id: int, order: Order, now: datetime) -> list[str]:
    """Validate the whole order, then create every server with its disks.

    :raises PlanNotFound, ImageNotFound, IncorrectImageStatus, InvalidPeriod, InvalidAmount,
        InvalidChargeType, InvalidDataDiskSize, PlatformNotMatch, PlanDiskTooSmall:
    """
    chosen = _check_order(uow, account_id, order, now)
    data_disk = chosen.data_disk_size if order.data_disk_size is None else order.data_disk_size
    created = []
    for _ in range(order.amount):
        instance = Instance(
            id=new_instance_id(),
            account_id=account_id,
            region_id=order.region_id,
            name="",
            plan_id=chosen.id,
            image_id=order.image_id,
            status="Running",
            created_at=now,
            expires_at=expiry(now, order.period),
        )
        uow.swas_instances.add(_named(instance))
        _add_disks(uow, instance, chosen, data_disk)
        created.append(instance.id)
    return created


def _named(instance: Instance) -> Instance:
    # The console names a new server after its id when the buyer gives no name.
    return Instance(**{**instance.__dict__, "name": f"swas-{instance.id[:8]}"})


def _check_order(uow: UnitOfWork, account_id: int, order: Order, now: datetime) -> Plan:
    chosen = plan(order.plan_id)
    if chosen is None:
        raise PlanNotFound()
    if order.period not in PERIODS:
        raise InvalidPeriod()
    if not 1 <= order.amount <= MAX_AMOUNT:
        raise InvalidAmount()
    if order.charge_type not in (None, "PrePaid"):
        raise InvalidChargeType()
    size = order.data_disk_size
    if size is not None and (not 0 <= size <= MAX_DATA_DISK_SIZE or size % 20):
        raise InvalidDataDiskSize()
    source = source_images.launchable(uow, account_id, order.region_id, order.image_id, now)
    if source.platform not in chosen.platforms:
        raise PlatformNotMatch()
    if source.system_disk_size > chosen.disk_size:
        raise PlanDiskTooSmall()
    return chosen


def _add_disks(uow: UnitOfWork, instance: Instance, chosen: Plan, data_disk_size: int) -> None:
    sizes = [("System", chosen.disk_size, "/dev/xvda")]
    if data_disk_size:
        sizes.append(("Data", data_disk_size, "/dev/xvdb"))
    for disk_type, size, device in sizes:
        disk = Disk(
            id=new_resource_id("d"),
            account_id=instance.account_id,
            region_id=instance.region_id,
            instance_id=instance.id,
            disk_type=disk_type,
            category=chosen.disk_type,
            size=size,
            device=device,
            created_at=instance.created_at,
        )
        uow.swas_disks.add(disk)


@frozen
class SnapshotOrder:
    region_id: str
    disk_id: str
    name: str


def create_snapshot(uow: UnitOfWork, account_id: int, order: SnapshotOrder, now: datetime) -> str:
    """:raises InvalidSnapshotName, DiskNotFound, SnapshotNameDuplicate, SnapshotLimitExceed:"""
    if not valid_snapshot_name(order.name):
        raise InvalidSnapshotName()
    disk = uow.swas_disks.get(account_id, order.region_id, order.disk_id)
    if disk is None:
        raise DiskNotFound()
    if uow.swas_snapshots.name_taken(account_id, order.region_id, order.name):
        raise SnapshotNameDuplicate()
    uow.accounts.lock(account_id)  # concurrent snapshots must not both pass the count below
    if uow.swas_snapshots.count_for_instance(disk.instance_id) >= SNAPSHOTS_PER_INSTANCE:
        raise SnapshotLimitExceed()
    snapshot = Snapshot(
        id=new_resource_id("s"),
        account_id=account_id,
        region_id=order.region_id,
        name=order.name,
        disk_id=disk.id,
        instance_id=disk.instance_id,
        source_disk_type=disk.disk_type,
        status="Accomplished",
        created_at=now,
    )
    uow.swas_snapshots.add(snapshot)
    return snapshot.id


@frozen
class InstanceView:
    instance: Instance
    plan: Plan
    disks: list[Disk]
    image: source_images.SourceImage | None


def list_instances(
    uow: UnitOfWork, account_id: int, region_id: str, ids: list[str] | None, page: Page
) -> tuple[int, list[InstanceView]]:
    total, found = uow.swas_instances.find(InstanceFilter(account_id, region_id, ids), page)
    disks = uow.swas_disks.for_instances([i.id for i in found])
    views = []
    for instance in found:
        chosen = plan(instance.plan_id)
        assert chosen is not None  # only catalogue plans are ever stored
        image = source_images.describe(uow, account_id, region_id, instance.image_id)
        own_disks = [d for d in disks if d.instance_id == instance.id]
        views.append(InstanceView(instance, chosen, own_disks, image))
    return total, views


def list_disks(
    uow: UnitOfWork, where: DiskFilter, page: Page
) -> tuple[int, list[tuple[Disk, str]]]:
    """A page of the caller's disks, each with the name of its server."""
    total, disks = uow.swas_disks.find(where, page)
    names = {}
    for disk in disks:
        instance = uow.swas_instances.get(where.account_id, where.region_id, disk.instance_id)
        names[disk.instance_id] = instance.name if instance else ""
    return total, [(disk, names[disk.instance_id]) for disk in disks]


def list_snapshots(
    uow: UnitOfWork, where: SnapshotFilter, page: Page
) -> tuple[int, list[Snapshot]]:
    return uow.swas_snapshots.find(where, page)
