"""The region listings through every official SDK, over real HTTP, signed both ways."""

from __future__ import annotations

import json

from alibabacloud_ecd20200930 import models as ecd
from alibabacloud_ecs20140526 import models as ecs
from alibabacloud_swas_open20200601 import models as swas
from aliyunsdkcore.request import CommonRequest
from aliyunsdkswas_open.request.v20200601.ListRegionsRequest import ListRegionsRequest
from support.world import World


def test_swas_list_regions_tea_sdk(world: World) -> None:
    response = world.swas(world.account()).list_regions(swas.ListRegionsRequest())
    regions = {r.region_id: r for r in response.body.regions}
    assert response.status_code == 200
    assert response.body.request_id == response.headers["x-acs-request-id"]
    assert regions["cn-hangzhou"].local_name == "华东1（杭州）"
    assert regions["cn-hangzhou"].region_endpoint == "swas.cn-hangzhou.aliyuncs.com"
    assert "ap-southeast-1" in regions


def test_swas_list_regions_in_english(world: World) -> None:
    request = swas.ListRegionsRequest(accept_language="en-US")
    response = world.swas(world.account()).list_regions(request)
    names = {r.region_id: r.local_name for r in response.body.regions}
    assert names["cn-hangzhou"] == "China (Hangzhou)"


def test_ecd_describe_regions_tea_sdk(world: World) -> None:
    request = ecd.DescribeRegionsRequest(region_id="cn-hangzhou", accept_language="en")
    body = world.ecd(world.account()).describe_regions(request).body
    regions = {r.region_id: r for r in body.regions}
    assert regions["cn-shanghai"].region_endpoint == "ecd.cn-shanghai.aliyuncs.com"
    assert regions["cn-shanghai"].local_name == "China (Shanghai)"


def test_ecs_describe_regions_wraps_the_list(world: World) -> None:
    body = world.ecs(world.account()).describe_regions(ecs.DescribeRegionsRequest()).body
    regions = {r.region_id: r for r in body.regions.region}
    assert regions["cn-hangzhou"].status == "available"
    assert regions["cn-hangzhou"].region_endpoint == "ecs.cn-hangzhou.aliyuncs.com"
    assert len(regions) > len(
        world.ecd(world.account())
        .describe_regions(ecd.DescribeRegionsRequest(region_id="cn-hangzhou"))
        .body.regions
    )


def test_same_action_name_routes_by_version(world: World) -> None:
    who = world.account()
    ecs_body = world.ecs(who).describe_regions(ecs.DescribeRegionsRequest()).body.to_map()
    ecd_request = ecd.DescribeRegionsRequest(region_id="cn-hangzhou")
    ecd_body = world.ecd(who).describe_regions(ecd_request).body.to_map()
    assert isinstance(ecs_body["Regions"], dict)
    assert isinstance(ecd_body["Regions"], list)


def test_tea_sdk_with_rpc_v1_signature(world: World) -> None:
    client = world.swas(world.account(), signature_algorithm="v2")
    regions = client.list_regions(swas.ListRegionsRequest()).body.regions
    assert any(r.region_id == "cn-beijing" for r in regions)


def test_tea_sdk_accepts_endpoint_with_scheme(world: World) -> None:
    who = world.account()
    config = world.config(who)
    config.endpoint = f"http://{world.endpoint}"
    from alibabacloud_swas_open20200601.client import Client

    regions = Client(config).list_regions(swas.ListRegionsRequest()).body.regions
    assert regions


def test_old_sdk_request_class(world: World) -> None:
    request = ListRegionsRequest()
    request.set_endpoint("127.0.0.1")
    request.set_protocol_type("http")
    body = json.loads(world.old(world.account()).do_action_with_exception(request))
    assert {r["RegionId"] for r in body["Regions"]} >= {"cn-hangzhou", "cn-qingdao"}
    assert body["RequestId"]


def test_old_sdk_get_with_form_body(world: World) -> None:
    request = CommonRequest(domain="127.0.0.1", version="2014-05-26", action_name="DescribeRegions")
    request.set_protocol_type("http")
    request.set_method("GET")
    body = json.loads(world.old(world.account()).do_action_with_exception(request))
    assert body["Regions"]["Region"][0]["Status"] == "available"

    request.set_method("POST")
    request.add_body_params("AcceptLanguage", "en-US")
    body = json.loads(world.old(world.account()).do_action_with_exception(request))
    names = {r["RegionId"]: r["LocalName"] for r in body["Regions"]["Region"]}
    assert names["cn-beijing"] == "China (Beijing)"


def test_metrics_count_requests(world: World) -> None:
    import urllib.request

    world.swas(world.account()).list_regions(swas.ListRegionsRequest())
    with urllib.request.urlopen(f"http://{world.endpoint}/metrics", timeout=5) as response:
        text = response.read().decode()
    labels = 'action="ListRegions",code="",product="swas-open",status="200"'
    assert f"imageshare_requests_total{{{labels}}}" in text
    assert 'imageshare_request_seconds_count{action="ListRegions",product="swas-open"}' in text
