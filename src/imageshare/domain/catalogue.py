"""The public catalogue: the system images of all three products, and the ECS instance types
they run on, the same in every region (the real catalogue differs a little from region to
region; one list keeps tests predictable, docs/ecs.md). ECS DescribeImages, ECD DescribeImages
ImageType=SYSTEM and SWAS ListImages all read their products' public images from here.

ECS public image ids follow Alibaba Cloud's naming rule: operating system, version,
architecture, system disk size and release date, ``aliyun_3_x64_20G_alibase_20240819.vhd``;
image families are the public ``acs:`` ones. ECD's are ``desktopimage-...``; SWAS's are 32
lower-case hex characters. Custom, shared and community images start with ``m-`` instead.
"""

from __future__ import annotations

from datetime import datetime

from imageshare.values import frozen

LINUX = "linux"  # ECS spells OSType in lower case
WINDOWS = "windows"
# SWAS's Platform and ECD's OsType are capitalised.
LINUX_PLATFORM = "Linux"
WINDOWS_PLATFORM = "Windows"
X86_64 = "x86_64"
ARM64 = "arm64"
I386 = "i386"
ARCHITECTURES = (I386, X86_64, ARM64)
OS_TYPES = (WINDOWS, LINUX)


@frozen
class SystemImage:
    id: str
    name: str
    os_type: str  # "linux" | "windows", as ECS spells OSType
    platform: str  # ECS's Platform: "Aliyun", "Ubuntu", "Windows Server 2022", ...
    os_name: str  # OSName: the Chinese display name
    os_name_en: str
    architecture: str
    size: int  # GiB, the smallest system disk the image fits
    family: str
    created_at: datetime
    status: str = "Available"
    boot_mode: str = "UEFI-Preferred"
    description: str = ""


def _image(
    id: str, names: tuple[str, str], kind: tuple[str, str, str], size: int, family: str, day: str
) -> SystemImage:
    os_name, os_name_en = names
    os_type, platform, architecture = kind
    created = datetime.fromisoformat(day)
    return SystemImage(
        id, id, os_type, platform, os_name, os_name_en, architecture, size, family, created
    )


_LINUX_X64 = (LINUX, "Aliyun", X86_64)

SYSTEM_IMAGES: tuple[SystemImage, ...] = (
    _image(
        "aliyun_3_x64_20G_alibase_20240819.vhd",
        ("Alibaba Cloud Linux  3.2104 LTS 64位", "Alibaba Cloud Linux  3.2104 LTS 64 bit"),
        _LINUX_X64,
        20,
        "acs:alibaba_cloud_linux_3_2104_lts_x64",
        "2024-08-19T09:12:01",
    ),
    _image(
        "aliyun_3_arm64_20G_alibase_20240819.vhd",
        (
            "Alibaba Cloud Linux  3.2104 LTS 64位 ARM版",
            "Alibaba Cloud Linux  3.2104 LTS 64 bit ARM Edition",
        ),
        (LINUX, "Aliyun", ARM64),
        20,
        "acs:alibaba_cloud_linux_3_2104_lts_arm64",
        "2024-08-19T09:40:12",
    ),
    _image(
        "ubuntu_24_04_x64_20G_alibase_20240812.vhd",
        ("Ubuntu  24.04 64位", "Ubuntu  24.04 64 bit"),
        (LINUX, "Ubuntu", X86_64),
        20,
        "acs:ubuntu_24_04_x64",
        "2024-08-12T07:30:45",
    ),
    _image(
        "ubuntu_22_04_x64_20G_alibase_20240812.vhd",
        ("Ubuntu  22.04 64位", "Ubuntu  22.04 64 bit"),
        (LINUX, "Ubuntu", X86_64),
        20,
        "acs:ubuntu_22_04_x64",
        "2024-08-12T07:02:33",
    ),
    _image(
        "debian_12_6_x64_20G_alibase_20240819.vhd",
        ("Debian  12.6 64位", "Debian  12.6 64 bit"),
        (LINUX, "Debian", X86_64),
        20,
        "acs:debian_12_x64",
        "2024-08-19T11:20:09",
    ),
    _image(
        "centos_7_9_x64_20G_alibase_20240628.vhd",
        ("CentOS  7.9 64位", "CentOS  7.9 64 bit"),
        (LINUX, "CentOS", X86_64),
        20,
        "acs:centos_7_9_x64",
        "2024-06-28T03:15:27",
    ),
    _image(
        "win2022_21H2_x64_dtc_zh-cn_40G_alibase_20240816.vhd",
        (
            "Windows Server  2022 数据中心版 64位中文版",
            "Windows Server  2022 DataCenter 64bit Chinese Edition",
        ),
        (WINDOWS, "Windows Server 2022", X86_64),
        40,
        "acs:windows_server_2022_datacenter_zh-cn",
        "2024-08-16T02:48:50",
    ),
)

# An older release of a family, replaced by a newer one: what Status=Deprecated finds, and
# what DescribeImageFromFamily passes over.
SYSTEM_IMAGES += (
    SystemImage(
        "centos_7_9_x64_20G_alibase_20231220.vhd",
        "centos_7_9_x64_20G_alibase_20231220.vhd",
        LINUX,
        "CentOS",
        "CentOS  7.9 64位",
        "CentOS  7.9 64 bit",
        X86_64,
        20,
        "acs:centos_7_9_x64",
        datetime(2023, 12, 20, 6, 1, 40),
        status="Deprecated",
    ),
)

_BY_ID = {image.id: image for image in SYSTEM_IMAGES}


def system_image(image_id: str) -> SystemImage | None:
    return _BY_ID.get(image_id)


@frozen
class InstanceType:
    id: str
    cpu: int
    memory: float  # GiB
    architecture: str


INSTANCE_TYPES: tuple[InstanceType, ...] = (
    InstanceType("ecs.t6-c1m1.large", 2, 2, X86_64),
    InstanceType("ecs.e-c1m2.large", 2, 4, X86_64),
    InstanceType("ecs.g7.large", 2, 8, X86_64),
    InstanceType("ecs.c7.large", 2, 4, X86_64),
    InstanceType("ecs.g8y.large", 2, 8, ARM64),
)
_TYPES = {t.id: t for t in INSTANCE_TYPES}


def instance_type(type_id: str) -> InstanceType | None:
    return _TYPES.get(type_id)


def runs(kind: InstanceType, architecture: str) -> bool:
    """Whether an instance of this type runs an image of that architecture: only when they
    agree (an arm64 image needs an arm64 type such as ecs.g8y, an x86_64 image an x86 one).
    No type here is 32-bit, so an i386 image runs on none of them (docs/ecs.md)."""
    return architecture == kind.architecture


# --- Elastic Desktop Service's system images (DescribeImages ImageType=SYSTEM) -------------
# ECD desktops run ECS images underneath; ECD lists its own public desktop images, with ids of
# the form its consoles show (desktopimage-...), the same in every region.


@frozen
class EcdSystemImage:
    id: str
    name: str
    os_type: str  # "Windows" | "Linux", as ECD spells OsType
    platform: str
    size: int  # GiB
    created_at: datetime


ECD_SYSTEM_IMAGES: tuple[EcdSystemImage, ...] = (
    EcdSystemImage(
        "desktopimage-windows-server-2019-64-ch",
        "Windows Server 2019 64位中文版",
        "Windows",
        "Windows Server 2019",
        80,
        datetime(2024, 3, 12, 8, 0, 0),
    ),
    EcdSystemImage(
        "desktopimage-windows-server-2022-64-ch",
        "Windows Server 2022 64位中文版",
        "Windows",
        "Windows Server 2022",
        80,
        datetime(2024, 6, 18, 8, 0, 0),
    ),
    EcdSystemImage(
        "desktopimage-ubuntu-2004-64-ch",
        "Ubuntu 20.04 64位中文版",
        "Linux",
        "Ubuntu",
        80,
        datetime(2024, 7, 2, 8, 0, 0),
    ),
)


# --- Simple Application Server's public images (ListImages) ----------------------------------
# System and application images; a SWAS image id names the same image in every region.


@frozen
class SwasPublicImage:
    id: str
    name: str
    type: str  # "system" | "app"
    platform: str  # LINUX_PLATFORM | WINDOWS_PLATFORM
    description: str
    min_disk_size: int = 20


SWAS_PUBLIC_IMAGES: tuple[SwasPublicImage, ...] = (
    SwasPublicImage(
        "87987f90ac2943c1b23f4c46cc80839c",
        "Alibaba Cloud Linux 3.2104 LTS 64位",
        "system",
        LINUX_PLATFORM,
        "Alibaba Cloud Linux 3，阿里云自研的服务器操作系统。",
    ),
    SwasPublicImage(
        "e9363571cf2444aba422b17470285465",
        "Ubuntu 22.04 64位",
        "system",
        LINUX_PLATFORM,
        "Ubuntu 22.04 LTS 64位操作系统。",
    ),
    SwasPublicImage(
        "3f1c7ae9b2d04a58a6e1c0f5d9b27e41",
        "CentOS 7.9 64位",
        "system",
        LINUX_PLATFORM,
        "CentOS 7.9 64位操作系统。",
    ),
    SwasPublicImage(
        "b5d02e8c7f3a4e6d9c1a2b3c4d5e6f70",
        "Windows Server 2022 数据中心版 64位中文版",
        "system",
        WINDOWS_PLATFORM,
        "Windows Server 2022 数据中心版。",
        40,
    ),
    SwasPublicImage(
        "794c230fd3e64ea19f83f4d7a0ad1c2b",
        "WordPress-4.8.1",
        "app",
        LINUX_PLATFORM,
        "WordPress是博客和内容管理网站的工具平台。该镜像基于CentOS 7.3 64位操作系统。",
    ),
    SwasPublicImage(
        "c6a1f0e2d3b44c5d8e9f0a1b2c3d4e5f",
        "LAMP",
        "app",
        LINUX_PLATFORM,
        "Linux、Apache、MySQL、PHP 环境。该镜像基于CentOS 7.9 64位操作系统。",
    ),
)

_SWAS_BY_ID = {image.id: image for image in SWAS_PUBLIC_IMAGES}


def swas_public_image(image_id: str) -> SwasPublicImage | None:
    """A SWAS public image."""
    return _SWAS_BY_ID.get(image_id)
