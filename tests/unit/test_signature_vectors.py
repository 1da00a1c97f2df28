"""Known-answer tests: every request the official SDKs sent, as captured, verifies with our code."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest

from imageshare.auth.signing import (
    Pairs,
    acs3_canonical_request,
    acs3_signature,
    acs3_string_to_sign,
    parse_authorization,
    rpc_signature,
    rpc_string_to_sign,
    signatures_equal,
)
from imageshare.pipeline.common import COMMON_PARAMS

# Real requests of the official SDKs (key testAKID, secret testSecret), kept with the tests so
# a plain clone runs every known-answer test; a missing file fails the collection, never skips.
CAPTURES_PATH = Path(__file__).resolve().parents[1] / "vectors" / "sdk-captures.txt"
FORM = "application/x-www-form-urlencoded"

if not CAPTURES_PATH.is_file():
    pytest.fail(f"SDK capture vectors missing: {CAPTURES_PATH}", pytrace=False)


@dataclass(frozen=True)
class Capture:
    """One captured request, with the server-side check lines printed after it."""

    title: str
    method: str
    path: str
    query: list[tuple[str, str]]
    headers: dict[str, list[str]]  # lower-case name -> values as received
    body: bytes
    trailer: list[str]

    def header(self, name: str) -> str:
        return ",".join(self.headers.get(name, []))

    @property
    def is_acs3(self) -> bool:
        return "authorization" in self.headers


def _blocks(text: str) -> list[tuple[str, list[str]]]:
    blocks: list[tuple[str, list[str]]] = []
    for line in text.splitlines():
        if line.startswith("===== ") and line.endswith(" ====="):
            blocks.append((line[6:-6], []))
        elif blocks:
            blocks[-1][1].append(line)
    return blocks


def _sections(lines: list[str]) -> tuple[list[str], list[str], list[str]]:
    """(request line + headers, body lines, lines from the first ``-----`` on)."""
    end = next((i for i, line in enumerate(lines) if line.startswith("-----")), len(lines))
    request = lines[:end]
    blank = request.index("") if "" in request else len(request)
    return request[:blank], request[blank + 1 :], lines[end:]


def _parse(title: str, lines: list[str]) -> Capture | None:
    if not lines or not lines[0].startswith(("POST ", "GET ")):
        return None  # a responses-only block
    head, body, trailer = _sections(lines)
    method, target = head[0].split(" ")[:2]
    url = urlsplit(target)
    headers: dict[str, list[str]] = {}
    for line in head[1:]:
        name, _, value = line.partition(":")
        headers.setdefault(name.strip().lower(), []).append(value.strip())
    query = parse_qsl(url.query, keep_blank_values=True)
    return Capture(title, method, url.path, query, headers, "\n".join(body).encode(), trailer)


def _load() -> list[Capture]:
    parsed = (_parse(title, lines) for title, lines in _blocks(CAPTURES_PATH.read_text("utf-8")))
    return [c for c in parsed if c is not None]


CAPTURES = _load()
CASES = [pytest.param(c, id=f"{i:02d} {c.title}") for i, c in enumerate(CAPTURES)]


def _secret(access_key_id: str) -> str:
    return "stsSecret" if access_key_id.startswith("STS.") else "testSecret"


def _rpc_params(c: Capture, query: Pairs) -> list[tuple[str, str]]:
    form = c.header("content-type").startswith(FORM)
    body = parse_qsl(c.body.decode("utf-8"), keep_blank_values=True) if form else []
    return [*query, *body]


def _canonical(c: Capture, query: Pairs) -> str:
    auth = parse_authorization(c.header("authorization"))
    payload = hashlib.sha256(c.body).hexdigest()
    return acs3_canonical_request(c.method, c.path, query, c.headers, auth.signed_headers, payload)


def _string_to_sign(c: Capture, query: Pairs) -> str:
    if c.is_acs3:
        return acs3_string_to_sign(_canonical(c, query))
    return rpc_string_to_sign(c.method, _rpc_params(c, query))


def _claimed(c: Capture) -> tuple[str, str]:
    """(access key id, signature) as the request states them."""
    if c.is_acs3:
        auth = parse_authorization(c.header("authorization"))
        return auth.access_key_id, auth.signature
    params = dict(_rpc_params(c, c.query))
    return params["AccessKeyId"], params["Signature"]


def _verifies(c: Capture, query: Pairs | None = None, signature: str | None = None) -> bool:
    key_id, claimed = _claimed(c)
    string_to_sign = _string_to_sign(c, c.query if query is None else query)
    sign = acs3_signature if c.is_acs3 else rpc_signature
    expected = sign(_secret(key_id), string_to_sign)
    return signatures_equal(expected, claimed if signature is None else signature)


def _after(lines: list[str], marker: str, count: int) -> list[str]:
    start = lines.index(marker) + 1
    return lines[start : start + count]


def test_captures_parsed() -> None:
    assert len(CAPTURES) >= 40, f"only {len(CAPTURES)} requests parsed from {CAPTURES_PATH}"
    assert any(c.is_acs3 for c in CAPTURES)
    assert any(not c.is_acs3 for c in CAPTURES)


@pytest.mark.parametrize("capture", CASES)
def test_capture_verifies(capture: Capture) -> None:
    if capture.is_acs3:
        assert capture.header("x-acs-content-sha256") == hashlib.sha256(capture.body).hexdigest()
    assert _verifies(capture)


@pytest.mark.parametrize("capture", CASES)
def test_altered_business_value_fails(capture: Capture) -> None:
    query = list(capture.query)
    index = next(i for i, (key, _) in enumerate(query) if key not in COMMON_PARAMS)
    key, value = query[index]
    query[index] = (key, value + "x")
    assert not _verifies(capture, query=query)


@pytest.mark.parametrize("capture", CASES)
def test_altered_signature_fails(capture: Capture) -> None:
    signature = _claimed(capture)[1]
    altered = ("B" if signature[0] == "A" else "A") + signature[1:]
    assert not _verifies(capture, signature=altered)


@pytest.mark.parametrize("capture", CASES)
def test_server_printout_matches(capture: Capture) -> None:
    scheme = "ACS3" if capture.is_acs3 else "RPC-v1-HMAC-SHA1"
    assert capture.trailer[0].startswith(f"----- server-side check: scheme={scheme} ")
    ours = _string_to_sign(capture, capture.query)
    if not capture.is_acs3:
        assert _after(capture.trailer, "string to sign (recomputed by server):", 1) == [ours]
        return
    assert _after(capture.trailer, "string to sign:", 2) == ours.split("\n")
    start = capture.trailer.index("canonical request (recomputed by server):") + 1
    printed = capture.trailer[start : capture.trailer.index("string to sign:")]
    assert "\n".join(printed) == _canonical(capture, capture.query)
