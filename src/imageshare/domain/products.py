"""Which product a resource belongs to: the one identity of SWAS, ECD and ECS inside the
server (the images table's ``product`` column, sharing rules, listings). The wire identity of
each product (its RAM code, API version and endpoint) is ``api.products``."""

from __future__ import annotations

from enum import StrEnum


class ImageProduct(StrEnum):
    SWAS = "swas"  # Simple Application Server custom images
    ECD = "ecd"  # Elastic Desktop Service custom images
    ECS = "ecs"  # Elastic Compute Service custom images
