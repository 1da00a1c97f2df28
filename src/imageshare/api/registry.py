"""The explicit action registry: (Version, Action) -> what validates, runs and authorises it.

Routing is on the pair because action names repeat across products (DescribeRegions exists
in ECS 2014-05-26 and ECD 2020-09-30). Nothing is ever looked up by a name-derived attribute.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from functools import cached_property
from typing import Any, Generic, TypeVar

from pydantic import BaseModel

from imageshare.api.models import IdempotentRequest
from imageshare.config import Settings
from imageshare.domain.principal import Principal
from imageshare.errors import ActionNotFound, Forbidden, InvalidVersion
from imageshare.store.uow import UnitOfWork
from imageshare.values import frozen


@frozen
class Product:
    code: str  # RAM service prefix and troubleshooting product, e.g. "swas-open"
    version: str
    host_pattern: str  # "swas.{region}.aliyuncs.com"
    # What a RAM denial of its actions answers: Forbidden.RAM, or RAM and STS's NoPermission.
    denial: type[Forbidden] = Forbidden

    def host(self, region: str | None) -> str:
        return self.host_pattern.format(region=region or "cn-hangzhou")


@frozen
class Call:
    """What a handler gets besides its validated request."""

    uow: UnitOfWork
    principal: Principal
    settings: Settings
    now: datetime
    request_id: str
    # What RAM conditions see: acs:SourceIp and acs:SecureTransport.
    source_ip: str = "127.0.0.1"
    secure_transport: bool = False
    # The Host the request was sent to: where the caller reaches this server.
    host: str = ""


R = TypeVar("R", bound=BaseModel)
# A function of the caller and the request giving the resource ARN(s) RAM authorises on.
ResourceArn = Callable[[Principal, Any], str | tuple[str, ...]]


def all_resources(_principal: Principal, _request: BaseModel) -> str:
    return "*"


@frozen(kw_only=True)
class Action(Generic[R]):
    """One action, registered once: ``Action(product=..., name="WireName", request=Model,
    handler=handler, ...)``; ``handler`` and ``resource`` take that ``Model`` (a handler of
    another model is a type error).

    ``resource``: the ARN(s) RAM authorises the call on; several when the docs name several
    (attaching a policy to a user needs permission on both), and every one must be allowed;
    none when the docs say RAM policies are ignored for that request (ECS DescribeImages of
    system or shared images).
    """

    product: Product
    name: str
    request: type[R]
    handler: Callable[[Call, R], dict[str, Any]]
    resource: Callable[[Principal, R], str | tuple[str, ...]] = all_resources
    mutating: bool = False
    # False only for the few calls anyone may make, such as STS GetCallerIdentity.
    requires_permission: bool = True
    # Reads the audit trail: the events waiting to be written are written first, so a caller
    # sees its own calls (store/trail_buffer.py).
    reads_trail: bool = False

    @property
    def ram_action(self) -> str:
        return f"{self.product.code}:{self.name}"

    @cached_property
    def idempotent(self) -> bool:
        """A retry with the same ClientToken replays the first response: a change whose
        request declares ClientToken (``IdempotentRequest``). A read's is validated only."""
        return self.mutating and issubclass(self.request, IdempotentRequest)


class Registry:
    def __init__(self, actions: Iterable[Action[Any]]) -> None:
        self._actions: dict[tuple[str, str], Action[Any]] = {}
        self._products: dict[str, Product] = {}
        for action in actions:
            key = (action.product.version, action.name)
            if key in self._actions:
                raise ValueError(f"action registered twice: {key}")
            self._actions[key] = action
            self._products[action.product.version] = action.product

    def __iter__(self) -> Iterator[Action[Any]]:
        return iter(self._actions.values())

    def product(self, version: str) -> Product | None:
        return self._products.get(version)

    def lookup(self, version: str, name: str) -> Action[Any]:
        """:raises InvalidVersion, ActionNotFound:"""
        product = self._products.get(version)
        if product is None:
            raise InvalidVersion(version=version, action=name)
        action = self._actions.get((version, name))
        if action is None:
            raise ActionNotFound(action=name, version=version, product=product.code)
        return action

    def ram_actions(self) -> frozenset[str]:
        """Every action as ``product:Action`` (``ecs:DescribeImages``), and ``product:*``."""
        named = {action.ram_action for action in self._actions.values()}
        return frozenset(named | {f"{p.code}:*" for p in self._products.values()})

    def products(self) -> list[Product]:
        """Every product served, in registration order."""
        return list(self._products.values())
