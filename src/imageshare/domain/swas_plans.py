"""What SWAS sells: its plans, the same in every region, as the real catalogue is ("image-id
and plan-id are the same in every region"). Its public images are in the one catalogue of
public images, ``domain.catalogue``.

Plan ids follow the documented pattern ``swas.s<gen>.c<cores>m<GiB>s<disk>b<Mbps>t<traffic>``;
the first three are the ids the official examples use.
"""

from __future__ import annotations

from imageshare.domain.catalogue import LINUX_PLATFORM as LINUX
from imageshare.domain.catalogue import WINDOWS_PLATFORM as WINDOWS
from imageshare.values import frozen


@frozen
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


PLANS: tuple[Plan, ...] = (
    Plan("swas.s2.c2m1s40b3t04", 2, 1, 40, 3, 400, "ESSD", 60, (LINUX, WINDOWS)),
    Plan("swas.s2.c2m1s50b4t06", 2, 1, 50, 4, 600, "ESSD", 72, (LINUX, WINDOWS)),
    Plan("swas.s2.c2m2s50b4t08", 2, 2, 50, 4, 800, "ESSD", 90, (LINUX, WINDOWS)),
    Plan("swas.s1.c1m1s40b3t05", 1, 1, 40, 3, 500, "SSD", 34, (LINUX,), "PREVIOUS"),
    Plan("swas.s2.c2m4s80b5t10", 2, 4, 80, 5, 1000, "ESSD", 160, (LINUX, WINDOWS), "NORMAL", 40),
)

_PLANS_BY_ID = {plan.id: plan for plan in PLANS}


def plan(plan_id: str) -> Plan | None:
    return _PLANS_BY_ID.get(plan_id)
