"""Hostile requests, correctly signed: any registered action, either signature scheme,
parameters in the query or in a form body, names and values chosen to break things.

Shared by the CI fuzz test (tests/integration/test_hostile_fuzz.py) and the long run
(bench/fuzz_registry.py)."""

from __future__ import annotations

import json
import secrets
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from hypothesis import strategies as st

from imageshare.api.registry import Action, Registry
from imageshare.auth.signing import sign_acs3_headers, sign_rpc_params
from support.raw import now_stamp

FORM = "application/x-www-form-urlencoded"
# Any character a client can encode: everything but lone surrogates.
_CHARACTERS = st.characters(exclude_categories=["Cs"])

# Each class of value the probe of issue 19 found a 500 with, and its neighbours.
HOSTILE_VALUES = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "m-\x00",
    "\x1b[31m",
    "\x7f",
    "a" * 65,
    "a" * 129,
    "a" * 257,
    "a" * 1025,
    "a" * 70_000,
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775809",
    "1" + "0" * 25,
    "1" * 5000,
    "1_0",
    " 5 ",
    "2.0",
    "+5",
    "-1",
    "0",
    "\u0665",
    "yes",
    "on",
    "TRUE",
    "[" * 1000,
    "[" + "1" * 5000 + "]",
    '["m-\\u0000"]',
    '{"a": 1}',
    "[1, 2]",
    '{"Version": "1", "Statement": [' + "[" * 2000 + "]}",
    '{"Version":"1","Statement":[{"Effect":"Allow","Action":"*","Resource":' + "1" * 5000 + "}]}",
    "%00",
    "\ud7ff\ue000",
    "\U0001f600" * 300,
    "cn-hangzhou",
    "true",
    "False",
    "1",
    "10",
]


def wire_names(action: Action[Any]) -> list[str]:
    fields = action.request.model_fields
    return sorted(field.alias or name for name, field in fields.items())


def hostile_name(known: list[str]) -> st.SearchStrategy[str]:
    base = st.sampled_from(known) if known else st.just("Foo")
    return st.one_of(
        base,
        base.map(lambda name: f"{name}.1"),
        base.map(lambda name: f"{name}.01"),
        base.map(lambda name: f"{name}.0"),
        base.map(lambda name: f"{name}.1.Key"),
        base.map(lambda name: f"{name}.99999999999"),
        base.map(lambda name: name + ".1" * 500),
        st.just("X" + ".1" * 500),
        st.just("X"),
        st.text(_CHARACTERS, min_size=1, max_size=20),
    )


def hostile_value(extra: list[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(HOSTILE_VALUES),
        st.sampled_from(extra or [""]),
        st.text(_CHARACTERS, max_size=40),
        st.integers(min_value=-(2**70), max_value=2**70).map(str),
    )


@dataclass(frozen=True)
class Targets:
    """What a baseline request names: real ids, so a hostile value can reach the store."""

    image_ids: list[str]
    account_ids: list[str]
    names: list[str]  # RAM user, policy and role names, snapshot and instance ids, ...
    policy: str

    def values(self) -> list[str]:
        return [*self.image_ids, *self.account_ids, *self.names]


_COMMON_HOSTILE = ["SignatureNonce", "AccessKeyId", "SecurityToken", "RegionId"]


@dataclass(frozen=True)
class Plan:
    """One request: which action, how it is signed and carried, what it says."""

    action: Action[Any]
    scheme: str  # "ACS3" | "RPC"
    in_body: bool
    params: list[tuple[str, str]]
    common: tuple[tuple[str, str], ...] = ()  # a common parameter replaced by a hostile value


def plans(registry: Registry, targets: Targets) -> st.SearchStrategy[Plan]:
    """A plausible request for a random action, then one to three hostile changes: a declared
    parameter given a hostile value, a hostile name, or a common parameter spoiled."""
    actions = sorted(registry, key=lambda a: (a.product.version, a.name))

    @st.composite
    def build(draw: Any) -> Plan:
        action = draw(st.sampled_from(actions))
        params = dict(draw(_baseline(action, targets)))
        known = wire_names(action)
        common: list[tuple[str, str]] = []
        for _ in range(draw(st.integers(1, 3))):
            kind = draw(st.sampled_from(["value", "value", "name", "common"]))
            if kind == "value" and known:
                params[draw(st.sampled_from(known))] = draw(hostile_value(targets.values()))
            elif kind == "common":
                common.append((draw(st.sampled_from(_COMMON_HOSTILE)), draw(hostile_value([]))))
            else:
                params[draw(hostile_name(known))] = draw(hostile_value(targets.values()))
        scheme = draw(st.sampled_from(["ACS3", "RPC"]))
        return Plan(action, scheme, draw(st.booleans()), list(params.items()), tuple(common))

    return build()


def _baseline(action: Action[Any], targets: Targets) -> st.SearchStrategy[list[tuple[str, str]]]:
    """Every required parameter and some optional ones, with plausible values."""
    pieces = []
    for name, field in action.request.model_fields.items():
        wire = field.alias or name
        shape = plausible(wire, field.annotation, targets)
        if field.is_required():
            pieces.append(shape)
        else:
            pieces.append(st.one_of(st.just([]), shape))
    return st.tuples(*pieces).map(lambda parts: [pair for part in parts for pair in part])


def plausible(
    wire: str, annotation: Any, targets: Targets
) -> st.SearchStrategy[list[tuple[str, str]]]:
    text = repr(annotation)
    if "list[int]" in text:
        ids = st.lists(st.sampled_from(targets.account_ids), min_size=1, max_size=3)
        return ids.map(lambda v: [(f"{wire}.{i}", x) for i, x in enumerate(v, start=1)])
    if "Tag" in text:
        return st.just([(f"{wire}.1.Key", "team"), (f"{wire}.1.Value", "a")])
    if "list[str]" in text:
        ids = st.lists(st.sampled_from(targets.image_ids), min_size=1, max_size=3)
        return st.one_of(
            ids.map(lambda v: [(wire, json.dumps(v))]),
            ids.map(lambda v: [(f"{wire}.{i}", x) for i, x in enumerate(v, start=1)]),
        )
    return _scalar(wire, text, targets).map(lambda value: [(wire, value)])


def _scalar(wire: str, text: str, targets: Targets) -> st.SearchStrategy[str]:
    if wire.endswith("RegionId"):
        return st.sampled_from(["cn-hangzhou", "cn-shanghai"])
    if "Document" in wire or wire == "Policy":
        return st.just(targets.policy)
    if "bool" in text:
        return st.sampled_from(["true", "false"])
    if "int" in text:
        return st.sampled_from(["1", "2", "10", "3600"])
    if "ImageId" in wire:
        return st.sampled_from(targets.image_ids)
    if "Account" in wire or "Owner" in wire:
        return st.sampled_from(targets.account_ids)
    return st.sampled_from([*targets.names, "Custom", "System", "Active", "share"])


@dataclass(frozen=True)
class Reply:
    status: int
    body: bytes
    content_type: str


def send(endpoint: str, key_id: str, secret: str, plan: Plan) -> Reply:
    """Sign ``plan`` with the key and send it; never raises for an HTTP error status."""
    if plan.scheme == "RPC":
        signed = sign_rpc_params(secret=secret, method="POST", params=_rpc_common(key_id, plan))
        query, body = ([], signed) if plan.in_body else (signed, [])
        headers = {"content-type": FORM} if plan.in_body else {}
    else:
        query, body = ([], plan.params) if plan.in_body else (plan.params, [])
        headers = _acs3_headers(endpoint, key_id, secret, plan, query, _encode(body))
    return post(endpoint, query, _encode(body), headers)


def post(
    endpoint: str, query: list[tuple[str, str]], body: bytes, headers: dict[str, str]
) -> Reply:
    url = f"http://{endpoint}/?{urlencode(query)}"
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return Reply(response.status, response.read(), response.headers["content-type"])
    except urllib.error.HTTPError as error:
        return Reply(error.code, error.read(), error.headers["content-type"])


def _encode(pairs: list[tuple[str, str]]) -> bytes:
    return urlencode(pairs).encode("ascii") if pairs else b""


def _rpc_common(key_id: str, plan: Plan) -> list[tuple[str, str]]:
    common: dict[str, str] = {
        "Action": plan.action.name,
        "Version": plan.action.product.version,
        "Format": "JSON",
        "AccessKeyId": key_id,
        "SignatureMethod": "HMAC-SHA1",
        "SignatureVersion": "1.0",
        "SignatureNonce": secrets.token_hex(16),
        "Timestamp": now_stamp(),
        **dict(plan.common),
    }
    return [*common.items(), *plan.params]


def _acs3_headers(
    endpoint: str,
    key_id: str,
    secret: str,
    plan: Plan,
    query: list[tuple[str, str]],
    body: bytes,
) -> dict[str, str]:
    headers = {
        "host": endpoint,
        "x-acs-action": plan.action.name,
        "x-acs-version": plan.action.product.version,
        "x-acs-date": now_stamp(),
        "x-acs-signature-nonce": secrets.token_hex(16),
        "accept": "application/json",
    }
    # Header values travel as latin-1 and may not hold line breaks: what a client can send.
    spoiled = {
        name: value.encode("utf-8").decode("latin-1").replace("\r", "").replace("\n", "")
        for name, value in plan.common
    }
    if "SignatureNonce" in spoiled:
        headers["x-acs-signature-nonce"] = spoiled.pop("SignatureNonce")
    if "SecurityToken" in spoiled:
        headers["x-acs-security-token"] = spoiled.pop("SecurityToken")
    key_id = spoiled.pop("AccessKeyId", key_id)
    if body:
        headers["content-type"] = FORM
    return sign_acs3_headers(
        access_key_id=key_id, secret=secret, method="POST", query=query, headers=headers, body=body
    )


def well_formed_error(reply: Reply) -> dict[str, Any]:
    """The reply's JSON body; asserts the envelope every answer carries (the HTTP server's own
    refusals too: an over-long query string is 414 RequestURITooLong, http/guarded.py)."""
    assert reply.content_type.startswith("application/json"), reply.content_type
    body: dict[str, Any] = json.loads(reply.body)
    assert isinstance(body.get("RequestId"), str)
    if reply.status != 200:
        assert {"Code", "Message", "HostId", "Recommend"} <= body.keys(), body
    return body
