"""SWAS instances and images, ECD desktops and images, ECS instances and images of one
account: regions, catalogue
entries, names in each product's own format, fixed ids, and what each image is made from."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from imageshare.domain.catalogue import (
    INSTANCE_TYPES,
    SWAS_PUBLIC_IMAGES,
    SYSTEM_IMAGES,
    swas_public_image,
    system_image,
)
from imageshare.domain.catalogue import instance_type as ecs_instance_type
from imageshare.domain.ecd import (
    ECD_ID_LENGTH,
    ECD_OS_TYPES,
    ecd_os_type,
    valid_ecd_description,
    valid_ecd_image_name,
)
from imageshare.domain.ecs import valid_description as ecs_description_ok
from imageshare.domain.ecs import valid_name as ecs_names_ok
from imageshare.domain.regions import ECD_REGIONS, ECS_REGIONS, SWAS_REGIONS
from imageshare.domain.swas import valid_image_name
from imageshare.domain.swas_plans import PLANS, plan
from imageshare.world.model import EcdSpec, EcsSpec, SwasSpec
from imageshare.world.problems import Path

if TYPE_CHECKING:
    from imageshare.world.checks import Report

# Fixed ids must look like the ids the server makes (domain.ids.new_resource_id and
# domain.images.new_ecd_id), so code that pattern-matches on ids treats them alike.
SWAS_IMAGE_ID = re.compile(r"^m-[a-z0-9]{20}$")
ECD_IMAGE_ID = re.compile(rf"^m-[a-z0-9]{{{ECD_ID_LENGTH}}}$")
DESKTOP_ID = re.compile(rf"^ecd-[a-z0-9]{{{ECD_ID_LENGTH}}}$")

_SWAS_REGION_IDS = [region.id for region in SWAS_REGIONS]
_ECD_REGION_IDS = [region.id for region in ECD_REGIONS]
_ECS_REGION_IDS = [region.id for region in ECS_REGIONS]


def check_swas(spec: SwasSpec, path: Path, report: Report) -> None:
    for i, instance in enumerate(spec.instances):
        at: Path = (*path, "instances", i)
        report.label((*at, "name"), instance.name)
        _region(report, (*at, "region"), instance.region, _SWAS_REGION_IDS, "SWAS")
        if plan(instance.plan) is None:
            plans = ", ".join(p.id for p in PLANS)
            report((*at, "plan"), f'no SWAS plan "{instance.plan}": use one of {plans}')
        if swas_public_image(instance.image) is None:
            images = ", ".join(
                f"{i.id} ({i.name})" for i in SWAS_PUBLIC_IMAGES if i.type == "system"
            )
            report((*at, "image"), f'no public image "{instance.image}"; system images: {images}')
    instances = [(*path, "instances", i, "name") for i in range(len(spec.instances))]
    report.unique(zip(instances, (s.name for s in spec.instances), strict=True), "instance")
    labels = {instance.name for instance in spec.instances}
    for i, image in enumerate(spec.images):
        at = (*path, "images", i)
        if not valid_image_name(image.name):
            report((*at, "name"), f'"{image.name}" is not a valid SWAS image name: 2-128 '
                   "letters, digits, Chinese characters, ':', '_' or '-', starting with a "
                   "letter, digit or Chinese character, not http: or https:")  # fmt: skip
        if image.instance not in labels:
            report((*at, "instance"), f'no instance "{image.instance}" in this account\'s swas')
        _fixed_id(report, (*at, "id"), image.id, SWAS_IMAGE_ID, "m-", 20)
    # Shares name an image by its owner and name, so names are unique per account here.
    names = [((*path, "images", i, "name"), image.name) for i, image in enumerate(spec.images)]
    report.unique(names, "SWAS image")


def check_ecd(spec: EcdSpec, path: Path, report: Report) -> None:
    for i, desktop in enumerate(spec.desktops):
        at: Path = (*path, "desktops", i)
        report.label((*at, "name"), desktop.name)
        _region(report, (*at, "region"), desktop.region, _ECD_REGION_IDS, "ECD")
        if ecd_os_type(desktop.os_type) is None:
            report((*at, "os_type"), f"use one of {', '.join(ECD_OS_TYPES)}")
        _fixed_id(report, (*at, "id"), desktop.id, DESKTOP_ID, "ecd-", ECD_ID_LENGTH)
    desktops = [((*path, "desktops", i, "name"), d.name) for i, d in enumerate(spec.desktops)]
    report.unique(desktops, "desktop")
    report.unique(
        [((*path, "desktops", i, "id"), d.id) for i, d in enumerate(spec.desktops) if d.id],
        "desktop id",
    )
    labels = {desktop.name for desktop in spec.desktops}
    for i, image in enumerate(spec.images):
        at = (*path, "images", i)
        if not valid_ecd_image_name(image.name):
            report((*at, "name"), f'"{image.name}" is not a valid ECD image name: 2-128 '
                   "letters, digits, Chinese characters, ':', '_' or '-', starting with a "
                   "letter or Chinese character, not http:// or https://")  # fmt: skip
        if image.description and not valid_ecd_description(image.description):
            report((*at, "description"), "2-256 characters, not starting with http(s)://")
        if image.desktop not in labels:
            report((*at, "desktop"), f'no desktop "{image.desktop}" in this account\'s ecd')
        _fixed_id(report, (*at, "id"), image.id, ECD_IMAGE_ID, "m-", ECD_ID_LENGTH)
    names = [((*path, "images", i, "name"), image.name) for i, image in enumerate(spec.images)]
    report.unique(names, "ECD image")


def _region(report: Report, path: Path, region: str, offered: list[str], product: str) -> None:
    if region not in offered:
        report(path, f'{product} is not offered in region "{region}": use one of '
               f"{', '.join(offered)}")  # fmt: skip


def _fixed_id(
    report: Report, path: Path, value: str | None, pattern: re.Pattern[str], prefix: str,
    length: int,
) -> None:  # fmt: skip
    if value is not None and not pattern.match(value):
        report(path, f'"{value}" is not a valid id: "{prefix}" and {length} lower-case letters '
               "or digits")  # fmt: skip


def check_ecs(spec: EcsSpec, path: Path, report: Report) -> None:
    for i, instance in enumerate(spec.instances):
        at: Path = (*path, "instances", i)
        report.label((*at, "name"), instance.name)
        _region(report, (*at, "region"), instance.region, _ECS_REGION_IDS, "ECS")
        if system_image(instance.image) is None:
            images = ", ".join(image.id for image in SYSTEM_IMAGES if image.status == "Available")
            report((*at, "image"), f'no ECS public image "{instance.image}"; use one of {images}')
        if ecs_instance_type(instance.instance_type) is None:
            types = ", ".join(t.id for t in INSTANCE_TYPES)
            report((*at, "instance_type"), f'no instance type "{instance.instance_type}": {types}')
    instances = [(*path, "instances", i, "name") for i in range(len(spec.instances))]
    report.unique(zip(instances, (s.name for s in spec.instances), strict=True), "instance")
    labels = {instance.name for instance in spec.instances}
    for i, image in enumerate(spec.images):
        at = (*path, "images", i)
        if not ecs_names_ok(image.name):
            report((*at, "name"), f'"{image.name}" is not a valid ECS image name: 2-128 '
                   "letters, digits, Chinese characters, '.', ':', '_' or '-', starting with a "
                   "letter or Chinese character, not aliyun or acs:, no http(s)://")  # fmt: skip
        if image.family is not None and not ecs_names_ok(image.family):
            report((*at, "family"), f'"{image.family}" is not a valid image family name')
        if image.description and not ecs_description_ok(image.description):
            report((*at, "description"), "2-256 characters, not starting with http(s)://")
        if image.instance not in labels:
            report((*at, "instance"), f'no instance "{image.instance}" in this account\'s ecs')
        _fixed_id(report, (*at, "id"), image.id, SWAS_IMAGE_ID, "m-", 20)
    names = [((*path, "images", i, "name"), image.name) for i, image in enumerate(spec.images)]
    report.unique(names, "ECS image")
