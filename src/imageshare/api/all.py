"""Every registered action, in one explicit list."""

from __future__ import annotations

from imageshare.api import (
    actiontrail,
    ecd_desktops,
    ecd_images,
    ecd_sharing,
    ecs_disks,
    ecs_images,
    ecs_instances,
    ecs_lifecycle,
    ecs_sharing,
    ecs_snapshots,
    ecs_tags,
    location,
    ram_policies,
    ram_roles,
    ram_users,
    regions,
    sts,
    swas_images,
    swas_servers,
    swas_sharing,
)
from imageshare.api.registry import Registry


def build_registry() -> Registry:
    return Registry(
        [
            *regions.ACTIONS,
            *swas_servers.ACTIONS,
            *swas_images.ACTIONS,
            *swas_sharing.ACTIONS,
            *ecd_desktops.ACTIONS,
            *ecd_images.ACTIONS,
            *ecd_sharing.ACTIONS,
            *ecs_images.ACTIONS,
            *ecs_lifecycle.ACTIONS,
            *ecs_sharing.ACTIONS,
            *ecs_instances.ACTIONS,
            *ecs_disks.ACTIONS,
            *ecs_snapshots.ACTIONS,
            *ecs_tags.ACTIONS,
            *ram_users.ACTIONS,
            *ram_policies.ACTIONS,
            *ram_roles.ACTIONS,
            *sts.ACTIONS,
            *location.ACTIONS,
            *actiontrail.ACTIONS,
        ]
    )
