"""The products this server speaks, by API version."""

from __future__ import annotations

from imageshare.api.registry import Product
from imageshare.errors import NoPermission

SWAS = Product(code="swas-open", version="2020-06-01", host_pattern="swas.{region}.aliyuncs.com")
ECD = Product(code="ecd", version="2020-09-30", host_pattern="ecd.{region}.aliyuncs.com")
ECS = Product(code="ecs", version="2014-05-26", host_pattern="ecs.{region}.aliyuncs.com")
# RAM and STS are global: one endpoint whatever the region.
# RAM and STS answer their own callers' denials with NoPermission, the others Forbidden.RAM.
RAM = Product(
    code="ram", version="2015-05-01", host_pattern="ram.aliyuncs.com", denial=NoPermission
)
STS = Product(
    code="sts", version="2015-04-01", host_pattern="sts.aliyuncs.com", denial=NoPermission
)
# Endpoint discovery (the old SDK's location resolver): answers imageshare's own address.
LOCATION = Product(code="location", version="2015-06-12", host_pattern="location.aliyuncs.com")
ACTIONTRAIL = Product(
    code="actiontrail", version="2020-07-06", host_pattern="actiontrail.{region}.aliyuncs.com"
)
