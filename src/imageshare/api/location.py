"""Location service (location 2015-06-12): DescribeEndpoints, the endpoint look-up of the old
SDK's resolver (and of tools that resolve endpoints the same way).

Every product imageshare serves is answered with imageshare's own address: the host name the
request reached, without its port, because the old SDK appends the port its ``AcsClient`` was
given (docs/endpoints.md). Another product is ``Illegal Parameter``, as on the real service,
which the old SDK turns into a loud "no endpoint for product" error.
"""

from __future__ import annotations

from typing import Any

from imageshare.api.models import RpcRequest
from imageshare.api.products import ECD, ECS, LOCATION, RAM, STS, SWAS
from imageshare.api.registry import Action, Call
from imageshare.errors.location import UnknownServiceCode

# Location service codes (what the old SDK's requests name) -> the product they resolve.
SERVICE_CODES = {product.code: product for product in (SWAS, ECD, ECS, RAM, STS)}


class DescribeEndpointsRequest(RpcRequest):
    id: str  # the region
    service_code: str
    type: str | None = None


def own_host(host_header: str) -> str:
    """``127.0.0.1:8080`` -> ``127.0.0.1``; ``[::1]:8080`` -> ``[::1]``."""
    if host_header.startswith("["):
        return host_header.split("]", 1)[0] + "]"
    return host_header.rsplit(":", 1)[0] if ":" in host_header else host_header


def describe_endpoints(call: Call, req: DescribeEndpointsRequest) -> dict[str, Any]:
    product = SERVICE_CODES.get(req.service_code.lower())
    if product is None:
        raise UnknownServiceCode()
    endpoint = {
        "Endpoint": own_host(call.host) or product.host(req.id),
        "Id": req.id,
        "Namespace": "",
        # "SerivceCode" is the real service's spelling; the old SDK reads either.
        "SerivceCode": product.code,
        "Type": req.type or "openAPI",
        "Protocols": {"Protocols": ["HTTP", "HTTPS"]},
    }
    return {"Endpoints": {"Endpoint": [endpoint]}, "Success": True}


ACTIONS = (
    Action(
        product=LOCATION,
        name="DescribeEndpoints",
        request=DescribeEndpointsRequest,
        handler=describe_endpoints,
        requires_permission=False,
    ),
)
