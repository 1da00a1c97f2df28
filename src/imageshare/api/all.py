"""Every registered action, in one explicit list."""

from __future__ import annotations

from imageshare.api import ecs_images, regions, swas_images, swas_servers, swas_sharing
from imageshare.api.registry import Registry


def build_registry() -> Registry:
    return Registry(
        [
            *regions.ACTIONS,
            *swas_servers.ACTIONS,
            *swas_images.ACTIONS,
            *swas_sharing.ACTIONS,
            *ecs_images.ACTIONS,
        ]
    )
