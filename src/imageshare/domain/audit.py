"""One API call as an ActionTrail event (docs/actiontrail.md): the stored row, its filter
columns beside the event's JSON.

Recorded for every call whose caller was authenticated, reads and writes, successes and
failures; a call whose key, token or signature was refused names no verified account, so it
is in no account's trail (anyone could otherwise fill another account's trail with forged
calls under its AccessKeyId). ``requestParameters`` holds the business parameters as sent,
without the protocol's (Signature, SecurityToken, AccessKeyId, ...) and without any whose
name says secret, password, signature, token or private key; responses are not recorded.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Any

import orjson
from pydantic import BaseModel

from imageshare.domain.principal import Principal, PrincipalType, principal_name
from imageshare.errors import ServiceError
from imageshare.values import frozen

DEFAULT_REGION = "cn-hangzhou"
MAX_HOSTS = 64
# A parameter's value beyond this is cut: the trail holds what was asked, not bulk data.
MAX_VALUE_CHARS = 1024
_SECRET_NAME = re.compile(r"secret|password|signature|token|privatekey", re.IGNORECASE)
# ClientToken is an idempotency key, not a credential: ActionTrail shows it.
_NOT_SECRET = frozenset({"ClientToken"})

# ServiceName as ActionTrail spells a product (the LookupAttribute filter ignores case).
SERVICE_NAMES = {
    "swas-open": "Swas-open",
    "ecd": "Ecd",
    "ecs": "Ecs",
    "ram": "Ram",
    "sts": "Sts",
    "actiontrail": "Actiontrail",
}
# The resource an event is about: the first of these request fields that is set.
_RESOURCES: dict[str, tuple[tuple[str, str], ...]] = {
    "swas-open": (("image_id", "ACS::SWAS::CustomImage"), ("instance_id", "ACS::SWAS::Instance")),
    "ecs": (("image_id", "ACS::ECS::Image"), ("instance_id", "ACS::ECS::Instance")),
    "ecd": (("image_id", "ACS::ECD::Image"), ("desktop_id", "ACS::ECD::Desktop")),
    "ram": (
        ("user_name", "ACS::RAM::User"),
        ("role_name", "ACS::RAM::Role"),
        ("policy_name", "ACS::RAM::Policy"),
        ("group_name", "ACS::RAM::Group"),
    ),
    "sts": (("role_arn", "ACS::RAM::Role"),),
}
_IDENTITY_TYPES = {
    PrincipalType.ROOT: "root-account",
    PrincipalType.USER: "ram-user",
    PrincipalType.ROLE: "assumed-role",
}


@frozen(slots=True)
class EventKind:
    """What every event of one action has in common, worked out once per action (the
    pipeline makes one per registered action when it starts), not once per call."""

    name: str  # eventName: the action
    version: str  # apiVersion
    rw: str  # eventRW: "Read" or "Write"
    service_name: str  # ActionTrail's spelling of the product
    host: Callable[[str | None], str]  # the product's endpoint for a region
    # (request field, resource type) in the order they are looked at: only the fields the
    # action's request declares, so a call looks at one or two, not the product's every one.
    resources: tuple[tuple[str, str], ...]
    image_resource: str | None  # the resource type of an image a call of it makes
    # eventSource by region, filled as calls come (at most MAX_HOSTS: the region of a call
    # that failed validation is the caller's text).
    hosts: dict[str | None, str] = field(default_factory=dict, compare=False)

    def endpoint(self, region: str) -> str:
        known = self.hosts.get(region)
        if known is None:
            known = self.host(region)
            if len(self.hosts) < MAX_HOSTS:
                self.hosts[region] = known
        return known


def event_kind(
    product: str,
    version: str,
    action: str,
    *,
    writes: bool,
    host: Callable[[str | None], str],
    fields: Collection[str] | None = None,
) -> EventKind:
    """``fields``: the request's field names (None: a call that named no action of ours)."""
    kinds = _RESOURCES.get(product, ())
    return EventKind(
        name=action,
        version=version,
        rw="Write" if writes else "Read",
        service_name=SERVICE_NAMES.get(product) or product.capitalize(),
        host=host,
        resources=tuple(k for k in kinds if fields is None or k[0] in fields),
        image_resource=kinds[0][1] if kinds and kinds[0][0] == "image_id" else None,
    )


@dataclass(slots=True)  # not frozen: a frozen dataclass's __init__ costs several times more
class CallFacts:
    """What the pipeline knows of a finished (or finishing) call."""

    kind: EventKind
    request_id: str
    now: datetime
    principal: Principal
    params: list[tuple[str, str]]  # business parameters, as sent
    request: BaseModel | None  # the validated request, when it validated
    source_ip: str
    user_agent: str
    error: ServiceError | None = None
    made_image: str | None = None  # the ImageId a change answered with (a new image)


# The row's columns, in ``event_values``' order: a read's event waits for the batch writer as
# a tuple of these values (strings, numbers, a datetime): the garbage collector does not track
# such a tuple, where keeping each call's objects alive for a second made every collection
# walk them (a fifth of a read's CPU, measured).
ROW_FIELDS = (
    "account_id",
    "event_time",
    "event_id",
    "event_name",
    "event_rw",
    "service_name",
    "resource_type",
    "resource_name",
    "access_key_id",
    "user_name",
    "body",
)


def event_values(facts: CallFacts) -> tuple[Any, ...]:
    """The stored row's values (``ROW_FIELDS``): the filter columns, and in ``body`` what they
    do not hold (``expand`` puts the two back together as the event)."""
    kind, principal = facts.kind, facts.principal
    resource_type, resource_name = _resource(kind, facts.request, facts.made_image)
    parameters = request_parameters(facts.params)
    region = _region(facts.request, parameters)
    identity = user_identity(principal)
    body: dict[str, Any] = {
        "eventSource": kind.endpoint(region),
        "acsRegion": region,
        "apiVersion": kind.version,
        "sourceIpAddress": facts.source_ip,
        "userAgent": facts.user_agent,
        "userIdentity": identity,
        "requestParameters": parameters,
    }
    if facts.error is not None:
        body["errorCode"], body["errorMessage"] = facts.error.code, facts.error.message
    return (
        principal.account_id,
        facts.now,
        facts.request_id,
        kind.name,
        kind.rw,
        kind.service_name,
        resource_type,
        resource_name,
        principal.access_key_id,
        identity["userName"],
        orjson.dumps(body).decode(),
    )


def expand(row: Mapping[str, Any]) -> dict[str, Any]:
    """A stored row as the event LookupEvents answers."""
    event: dict[str, Any] = {
        "eventId": row["event_id"],
        "eventVersion": "1",
        "eventType": "ApiCall",
        "eventCategory": "Management",
        "eventName": row["event_name"],
        "eventRW": row["event_rw"],
        "eventTime": row["event_time"].strftime("%Y-%m-%dT%H:%M:%SZ"),
        "serviceName": row["service_name"],
        "requestId": row["event_id"],
        "recipientAccountId": str(row["account_id"]),
        **orjson.loads(row["body"]),
    }
    if row["resource_name"] is not None:
        event["resourceType"], event["resourceName"] = row["resource_type"], row["resource_name"]
    return event


def user_identity(principal: Principal) -> dict[str, str]:
    """Shared between a principal's events (it does not change): do not modify the result."""
    key = (
        principal.type,
        principal.account_id,
        principal.access_key_id,
        principal.name,
        principal.role_id,
        principal.session_name,
    )
    identity = _IDENTITIES.get(key)
    if identity is None:
        if len(_IDENTITIES) >= MAX_IDENTITIES:
            _IDENTITIES.clear()
        identity = _IDENTITIES[key] = _identity(principal)
    return identity


# A principal is made afresh for each call: its identity is kept by the fields it is made of
# (hashing the Principal itself runs its dataclass __hash__ and __eq__, several times slower).
MAX_IDENTITIES = 1024
_IDENTITIES: dict[tuple[object, ...], dict[str, str]] = {}


def _identity(principal: Principal) -> dict[str, str]:
    identity = {
        "type": _IDENTITY_TYPES[principal.type],
        "accountId": str(principal.account_id),
        "accessKeyId": principal.access_key_id,
        "userName": principal_name(principal),
    }
    if principal.type is PrincipalType.ROOT:
        identity["principalId"] = str(principal.account_id)
    elif principal.type is PrincipalType.ROLE:
        identity["principalId"] = f"{principal.role_id}:{principal.session_name}"
    return identity


def request_parameters(params: list[tuple[str, str]]) -> dict[str, str]:
    """The parameters as sent (the first of a repeated name), secrets removed."""
    kept: dict[str, str] = {}
    for name, value in params:
        if name in kept or _is_secret(name):
            continue
        kept[name] = value if len(value) <= MAX_VALUE_CHARS else value[:MAX_VALUE_CHARS] + "..."
    return kept


@lru_cache(maxsize=4096)
def _is_secret(name: str) -> bool:
    # Names repeat from call to call (RegionId, ImageId): each is looked at once.
    return name not in _NOT_SECRET and _SECRET_NAME.search(name) is not None


def _resource(
    kind: EventKind, request: BaseModel | None, made_image: str | None
) -> tuple[str | None, str | None]:
    """The request's own resource; for a call that made an image, the new image."""
    if made_image and kind.image_resource is not None:
        return kind.image_resource, made_image
    if request is None:
        return None, None
    for name, resource_type in kind.resources:
        value = getattr(request, name, None)
        if isinstance(value, str) and value:
            return resource_type, value[:256]
    return None, None


def _region(request: BaseModel | None, parameters: dict[str, str]) -> str:
    region = getattr(request, "region_id", None) or parameters.get("RegionId")
    return region if isinstance(region, str) and region else DEFAULT_REGION
