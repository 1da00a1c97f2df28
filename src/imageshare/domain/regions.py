"""Regions and sites. A region belongs to the China site or the international site; SWAS, for
one, does not share images across sites."""

from __future__ import annotations

from imageshare.values import frozen

CHINA = "china"
INTERNATIONAL = "international"
SITES = (CHINA, INTERNATIONAL)


@frozen
class Region:
    id: str
    name_zh: str
    name_en: str

    def local_name(self, accept_language: str | None) -> str:
        # The real services answer in Chinese unless asked for English ("en-US", ECD's "en").
        if accept_language and accept_language.lower().startswith("en"):
            return self.name_en
        return self.name_zh


REGIONS: dict[str, Region] = {
    r.id: r
    for r in (
        Region("cn-qingdao", "华北1（青岛）", "China (Qingdao)"),
        Region("cn-beijing", "华北2（北京）", "China (Beijing)"),
        Region("cn-zhangjiakou", "华北3（张家口）", "China (Zhangjiakou)"),
        Region("cn-huhehaote", "华北5（呼和浩特）", "China (Hohhot)"),
        Region("cn-wulanchabu", "华北6（乌兰察布）", "China (Ulanqab)"),
        Region("cn-hangzhou", "华东1（杭州）", "China (Hangzhou)"),
        Region("cn-shanghai", "华东2（上海）", "China (Shanghai)"),
        Region("cn-nanjing", "华东5（南京-本地地域）", "China (Nanjing - Local Region)"),
        Region("cn-shenzhen", "华南1（深圳）", "China (Shenzhen)"),
        Region("cn-heyuan", "华南2（河源）", "China (Heyuan)"),
        Region("cn-guangzhou", "华南3（广州）", "China (Guangzhou)"),
        Region("cn-chengdu", "西南1（成都）", "China (Chengdu)"),
        Region("cn-wuhan-lr", "华中1（武汉）", "China (Wuhan - Local Region)"),
        Region("cn-hongkong", "中国香港", "China (Hong Kong)"),
        Region("ap-northeast-1", "日本（东京）", "Japan (Tokyo)"),
        Region("ap-northeast-2", "韩国（首尔）", "South Korea (Seoul)"),
        Region("ap-southeast-1", "新加坡", "Singapore"),
        Region("ap-southeast-3", "马来西亚（吉隆坡）", "Malaysia (Kuala Lumpur)"),
        Region("ap-southeast-5", "印度尼西亚（雅加达）", "Indonesia (Jakarta)"),
        Region("ap-southeast-6", "菲律宾（马尼拉）", "Philippines (Manila)"),
        Region("ap-southeast-7", "泰国（曼谷）", "Thailand (Bangkok)"),
        Region("us-east-1", "美国（弗吉尼亚）", "US (Virginia)"),
        Region("us-west-1", "美国（硅谷）", "US (Silicon Valley)"),
        Region("eu-west-1", "英国（伦敦）", "UK (London)"),
        Region("eu-central-1", "德国（法兰克福）", "Germany (Frankfurt)"),
        Region("me-east-1", "阿联酋（迪拜）", "UAE (Dubai)"),
    )
}


def regions(ids: tuple[str, ...]) -> tuple[Region, ...]:
    return tuple(REGIONS[i] for i in ids)


# Where each product is offered (a subset of the regions above).
# In the order a 2026 `ListRegions` answered (regions being shut down left out).
SWAS_REGIONS = regions(
    (
        "cn-qingdao", "cn-beijing", "cn-zhangjiakou", "cn-huhehaote", "cn-hangzhou",
        "cn-shanghai", "cn-shenzhen", "cn-heyuan", "cn-chengdu", "cn-guangzhou",
        "cn-wulanchabu", "cn-wuhan-lr", "cn-hongkong", "ap-southeast-1", "ap-southeast-3",
        "ap-southeast-5", "ap-northeast-1", "us-west-1", "us-east-1", "eu-central-1",
        "eu-west-1", "ap-southeast-6", "ap-southeast-7", "ap-northeast-2",
    )
)  # fmt: skip
ECD_REGIONS = regions(
    (
        "cn-hangzhou", "cn-shanghai", "cn-beijing", "cn-shenzhen", "cn-hongkong",
        "ap-southeast-1", "ap-northeast-1", "ap-southeast-5", "eu-central-1", "us-east-1",
        "us-west-1", "me-east-1",
    )
)  # fmt: skip
ECS_REGIONS = tuple(REGIONS.values())
