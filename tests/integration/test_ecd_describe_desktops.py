"""ECD DescribeDesktops through the official ECD tea SDK: the desktops the admin CLI made are
found through the API, per account and region, with the SDK model's types, filters and both
kinds of paging (PageNumber/PageSize and MaxResults/NextToken)."""

from __future__ import annotations

from alibabacloud_ecd20200930 import models as ecd
from support.ecd import OTHER_REGION, REGION, desktop
from support.world import AccountKeys, World


def _ids(world: World, who: AccountKeys, **filters: object) -> list[str]:
    request = ecd.DescribeDesktopsRequest(region_id=filters.pop("region", REGION), **filters)
    return [d.desktop_id for d in world.ecd(who).describe_desktops(request).body.desktops]


def test_desktops_are_found_through_the_api(world: World) -> None:
    who, other = world.account(), world.account()
    linux = desktop(world, who, os_type="Linux")
    encrypted = desktop(world, who, encrypted=True)
    elsewhere = desktop(world, who, OTHER_REGION)
    assert _ids(world, who) == [linux, encrypted]
    assert _ids(world, who, region=OTHER_REGION) == [elsewhere]
    assert _ids(world, other) == []
    assert _ids(world, who, desktop_id=[encrypted]) == [encrypted]
    assert _ids(world, who, os_types=["Linux"]) == [linux]
    assert _ids(world, who, desktop_status="Stopped") == []
    request = ecd.DescribeDesktopsRequest(region_id=REGION, desktop_id=[encrypted])
    raw = world.ecd(who).describe_desktops(request).body.to_map()
    found = raw["Desktops"][0]
    assert isinstance(found["Cpu"], int) and isinstance(found["Memory"], int)
    assert found["VolumeEncryptionEnabled"] is True and found["VolumeEncryptionKey"]
    assert found["DesktopStatus"] == "Running" and raw["TotalCount"] == 1


def test_both_kinds_of_paging(world: World) -> None:
    who = world.account()
    made = [desktop(world, who) for _ in range(3)]
    assert (
        _ids(world, who, page_size=2, page_number=1) + _ids(world, who, page_size=2, page_number=2)
        == made
    )
    assert _ids(world, who, page_size=2, page_number=9) == []
    first = ecd.DescribeDesktopsRequest(region_id=REGION, max_results=2)
    body = world.ecd(who).describe_desktops(first).body
    assert [d.desktop_id for d in body.desktops] == made[:2] and body.next_token
    second = ecd.DescribeDesktopsRequest(
        region_id=REGION, max_results=2, next_token=body.next_token
    )
    rest = world.ecd(who).describe_desktops(second).body
    assert [d.desktop_id for d in rest.desktops] == made[2:] and not rest.next_token
