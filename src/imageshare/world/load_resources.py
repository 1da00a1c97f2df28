"""One account's SWAS, ECD and ECS resources, made the way the API makes them.

A SWAS image comes the official way: CreateInstances, a snapshot of the instance's system
disk (one per instance, named ``world-system-N``), CreateCustomImage. An ECD desktop comes
from the admin path (as ``imageshare ecd desktops create``), its images from CreateImage.
A fixed id in the file replaces the id the service made, right after it is made.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from imageshare.domain.products import ImageProduct
from imageshare.services import (
    ecd_desktops,
    ecd_images,
    ecs_images,
    ecs_instances,
    swas_images,
    swas_servers,
)
from imageshare.services.accounts import AdminError
from imageshare.services.image_sharing import ShareTarget, modify_share_status
from imageshare.world.loading import LoadedImage, Loading
from imageshare.world.model import AccountSpec, SwasImageSpec
from imageshare.world.problems import Path


@dataclass
class _Source:
    """An instance or desktop an image is made from."""

    index: int
    id: str
    region: str
    # SWAS: the instance's system disk snapshot, made for its first image.
    snapshot_id: str | None = None


def load_swas(loading: Loading, spec: AccountSpec, account_id: int, path: Path) -> None:
    """:raises WorldRefused: a SWAS rule refused an instance or an image."""
    instances: dict[str, _Source] = {}
    for i, instance in enumerate(spec.swas.instances):
        with loading.at((*path, "instances", i)):
            order = swas_servers.Order(
                region_id=instance.region,
                image_id=instance.image,
                plan_id=instance.plan,
                period=1,
                data_disk_size=instance.data_disk_size,
            )
            now = loading.clock.now()
            made = swas_servers.create_instances(loading.uow, account_id, order, now)
        instances[instance.name] = _Source(i, made[0], instance.region)
        loading.result.counts["SWAS instances"] += 1
    for n, image in enumerate(spec.swas.images):
        source = instances[image.instance]
        with loading.at((*path, "images", n)):
            image_id = _swas_image(loading, account_id, image, source)
        loading.add_image(
            LoadedImage(ImageProduct.SWAS, spec.name, image.name, image_id, source.region)
        )


def _swas_image(loading: Loading, account_id: int, image: SwasImageSpec, source: _Source) -> str:
    if source.snapshot_id is None:
        source.snapshot_id = _system_snapshot(loading, account_id, source)
    order = swas_images.ImageOrder(
        region_id=source.region,
        instance_id=source.id,
        name=image.name,
        system_snapshot_id=source.snapshot_id,
        description=image.description,
    )
    made = swas_images.create_custom_image(loading.uow, account_id, order, loading.clock.now())
    image_id = _fix_image_id(loading, made, ImageProduct.SWAS, image.id)
    if image.share_to_ecs:
        target = ShareTarget(account_id, source.region, image_id)
        modify_share_status(loading.uow, target, "Share", loading.clock.now())
    return image_id


def _system_snapshot(loading: Loading, account_id: int, source: _Source) -> str:
    disks = loading.uow.swas_disks.for_instances([source.id])
    system = next(disk for disk in disks if disk.disk_type == "System")
    name = f"world-system-{source.index + 1}"
    order = swas_servers.SnapshotOrder(source.region, system.id, name)
    return swas_servers.create_snapshot(loading.uow, account_id, order, loading.clock.now())


def load_ecd(loading: Loading, spec: AccountSpec, account_id: int, path: Path) -> None:
    """:raises WorldRefused: a desktop or an image was refused."""
    desktops: dict[str, _Source] = {}
    for i, desktop in enumerate(spec.ecd.desktops):
        with loading.at((*path, "desktops", i)):
            made = ecd_desktops.create_desktop(
                loading.uow,
                account_id=account_id,
                region_id=desktop.region,
                os_type=desktop.os_type,
                encrypted=desktop.encrypted,
                now=loading.clock.now(),
            )
            desktop_id = _fix_desktop_id(loading, made.id, desktop.id)
        desktops[desktop.name] = _Source(i, desktop_id, desktop.region)
        loading.result.counts["ECD desktops"] += 1
    for n, image in enumerate(spec.ecd.images):
        source = desktops[image.desktop]
        with loading.at((*path, "images", n)):
            order = ecd_images.ImageOrder(
                region_id=source.region,
                desktop_id=source.id,
                name=image.name,
                description=image.description or None,
                system_disk_only=image.system_disk_only,
            )
            made_id = ecd_images.create_image(loading.uow, account_id, order, loading.clock.now())
            image_id = _fix_image_id(loading, made_id, ImageProduct.ECD, image.id)
        loading.add_image(
            LoadedImage(ImageProduct.ECD, spec.name, image.name, image_id, source.region)
        )


def _fix_image_id(loading: Loading, made_id: str, product: str, fixed: str | None) -> str:
    """Give the image just made the file's fixed id (nothing refers to it yet).

    :raises AdminError: the id is taken (``Loading.at`` reports it at the image's line).
    """
    if fixed is None:
        return made_id
    uow = loading.uow
    image = uow.images.find(made_id, product)
    assert image is not None  # made just before, in this transaction
    uow.images.delete(made_id)
    if not uow.images.add(replace(image, id=fixed), ()):
        raise AdminError(f"image id {fixed} is already in use in this database")
    return fixed


def _fix_desktop_id(loading: Loading, made_id: str, fixed: str | None) -> str:
    """Give the desktop just made the file's fixed id: there is no DescribeDesktops, so a
    test in another language can only know a desktop's id (for CreateImage) from its file."""
    if fixed is None:
        return made_id
    loading.uow.ecd_desktops.rename(made_id, fixed)
    return fixed


def load_ecs(loading: Loading, spec: AccountSpec, account_id: int, path: Path) -> None:
    """ECS instances (RunInstances' service) and their images (CreateImage's: a snapshot of
    the instance's system disk, Available at once).

    :raises WorldRefused: an instance or an image was refused.
    """
    instances: dict[str, _Source] = {}
    for i, instance in enumerate(spec.ecs.instances):
        with loading.at((*path, "instances", i)):
            order = ecs_instances.LaunchOrder(
                region_id=instance.region,
                image_id=instance.image,
                instance_type=instance.instance_type,
                name=instance.name,
            )
            now = loading.clock.now()
            made = ecs_instances.run_instances(
                loading.uow, account_id, order, ecs_instances.Moment(now)
            )
        instances[instance.name] = _Source(i, made[0], instance.region)
        loading.result.counts["ECS instances"] += 1
    for n, image in enumerate(spec.ecs.images):
        source = instances[image.instance]
        with loading.at((*path, "images", n)):
            order_ = ecs_images.ImageOrder(
                region_id=source.region,
                name=image.name,
                description=image.description,
                family=image.family,
            )
            made_id = ecs_images.image_from(
                loading.uow,
                account_id,
                ecs_images.ImageSource(instance_id=source.id),
                order_,
                (loading.clock.now(), None),
            )
            image_id = _fix_image_id(loading, made_id, ImageProduct.ECS, image.id)
        loading.add_image(
            LoadedImage(ImageProduct.ECS, spec.name, image.name, image_id, source.region)
        )
