"""What SWAS sells: plans and its public (system and application) images, the same in every
region, as the real catalogue is ("image-id and plan-id are the same in every region").

Plan ids follow the documented pattern ``swas.s<gen>.c<cores>m<GiB>s<disk>b<Mbps>t<traffic>``;
the first three are the ids the official examples use. Public image ids are 32 lower-case hex
characters with no prefix, unlike custom images (``m-...``).
"""

from __future__ import annotations

from dataclasses import dataclass

LINUX = "Linux"
WINDOWS = "Windows"


@dataclass(frozen=True)
class Plan:
    id: str
    core: int
    memory: float  # GiB; SDK 4.0.0 declares a float and some plans have 0.5
    disk_size: int  # GiB, the system disk
    bandwidth: int  # Mbps
    flow: int  # GB a month
    disk_type: str
    price: float  # CNY a month
    platforms: tuple[str, ...]
    plan_type: str = "NORMAL"
    # A few bundles include a data disk; CreateInstances DataDiskSize overrides it.
    data_disk_size: int = 0


@dataclass(frozen=True)
class PublicImage:
    id: str
    name: str
    type: str  # "system" | "app"
    platform: str
    description: str
    min_disk_size: int = 20


PLANS: tuple[Plan, ...] = (
    Plan("swas.s2.c2m1s40b3t04", 2, 1, 40, 3, 400, "ESSD", 60, (LINUX, WINDOWS)),
    Plan("swas.s2.c2m1s50b4t06", 2, 1, 50, 4, 600, "ESSD", 72, (LINUX, WINDOWS)),
    Plan("swas.s2.c2m2s50b4t08", 2, 2, 50, 4, 800, "ESSD", 90, (LINUX, WINDOWS)),
    Plan("swas.s1.c1m1s40b3t05", 1, 1, 40, 3, 500, "SSD", 34, (LINUX,), "PREVIOUS"),
    Plan("swas.s2.c2m4s80b5t10", 2, 4, 80, 5, 1000, "ESSD", 160, (LINUX, WINDOWS), "NORMAL", 40),
)

PUBLIC_IMAGES: tuple[PublicImage, ...] = (
    PublicImage(
        "87987f90ac2943c1b23f4c46cc80839c",
        "Alibaba Cloud Linux 3.2104 LTS 64位",
        "system",
        LINUX,
        "Alibaba Cloud Linux 3，阿里云自研的服务器操作系统。",
    ),
    PublicImage(
        "e9363571cf2444aba422b17470285465",
        "Ubuntu 22.04 64位",
        "system",
        LINUX,
        "Ubuntu 22.04 LTS 64位操作系统。",
    ),
    PublicImage(
        "3f1c7ae9b2d04a58a6e1c0f5d9b27e41",
        "CentOS 7.9 64位",
        "system",
        LINUX,
        "CentOS 7.9 64位操作系统。",
    ),
    PublicImage(
        "b5d02e8c7f3a4e6d9c1a2b3c4d5e6f70",
        "Windows Server 2022 数据中心版 64位中文版",
        "system",
        WINDOWS,
        "Windows Server 2022 数据中心版。",
        40,
    ),
    PublicImage(
        "794c230fd3e64ea19f83f4d7a0ad1c2b",
        "WordPress-4.8.1",
        "app",
        LINUX,
        "WordPress是博客和内容管理网站的工具平台。该镜像基于CentOS 7.3 64位操作系统。",
    ),
    PublicImage(
        "c6a1f0e2d3b44c5d8e9f0a1b2c3d4e5f",
        "LAMP",
        "app",
        LINUX,
        "Linux、Apache、MySQL、PHP 环境。该镜像基于CentOS 7.9 64位操作系统。",
    ),
)

_PLANS_BY_ID = {plan.id: plan for plan in PLANS}
_IMAGES_BY_ID = {image.id: image for image in PUBLIC_IMAGES}


def plan(plan_id: str) -> Plan | None:
    return _PLANS_BY_ID.get(plan_id)


def public_image(image_id: str) -> PublicImage | None:
    return _IMAGES_BY_ID.get(image_id)
