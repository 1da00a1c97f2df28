"""Property tests: our signing agrees with the official SDKs' own code, and detects tampering."""

from __future__ import annotations

import hashlib
from types import SimpleNamespace
from urllib.parse import parse_qsl, urlsplit

import pytest
from alibabacloud_tea_openapi.utils import Utils as TeaUtils
from aliyunsdkcore.auth.composer import rpc_signature_composer
from hypothesis import given, settings
from hypothesis import strategies as st

from imageshare.auth.signing import (
    ACS3_ALGORITHM,
    EMPTY_SHA256,
    REQUIRED_SIGNED_HEADERS,
    acs3_canonical_request,
    acs3_signature,
    acs3_string_to_sign,
    parse_authorization,
    rpc_signature,
    rpc_string_to_sign,
    sign_acs3_headers,
    signatures_equal,
)
from imageshare.pipeline.common import COMMON_PARAMS

AK = "testAKID"
SETTINGS = settings(max_examples=150, deadline=None, database=None)

CHAR = st.characters(codec="utf-8")
VALUE = st.text(alphabet=st.one_of(st.sampled_from(" *~+/=&%"), CHAR), max_size=30)
KEY = st.from_regex(r"[A-Za-z0-9.]{1,20}", fullmatch=True).filter(lambda k: k != "Signature")
PARAMS = st.dictionaries(KEY, VALUE, max_size=8)
FILLED_PARAMS = st.dictionaries(KEY, st.text(CHAR, min_size=1, max_size=20), min_size=1)
SECRET = st.text(st.characters(min_codepoint=33, max_codepoint=126), min_size=1, max_size=40)

HEADER_VALUE = st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=30)
EXTRA_HEADER = st.from_regex(r"x-[a-z]{1,10}", fullmatch=True) | st.sampled_from(
    ["accept", "user-agent", "x-acs-security-token", "x-acs-accesskey-id"]
)
HEADERS = st.builds(
    lambda required, extra: {**extra, **required},
    st.fixed_dictionaries({name: HEADER_VALUE for name in sorted(REQUIRED_SIGNED_HEADERS)}),
    st.dictionaries(EXTRA_HEADER, HEADER_VALUE, max_size=4),
)
FIXED_HEADERS = {name: [f"v-{name}"] for name in REQUIRED_SIGNED_HEADERS}


def _tea_authorization(
    query: dict[str, str], headers: dict[str, str], payload: str, secret: str
) -> str:
    request = SimpleNamespace(method="POST", pathname="/", query=query, headers=headers)
    auth: str = TeaUtils.get_authorization(request, ACS3_ALGORITHM, payload, AK, secret)
    return auth


def _titled(headers: dict[str, str], titled: bool) -> dict[str, str]:
    return {(k.title() if titled else k): v for k, v in headers.items()}


@SETTINGS
@given(query=PARAMS, body=PARAMS, secret=SECRET)
def test_rpc_matches_old_sdk(query: dict[str, str], body: dict[str, str], secret: str) -> None:
    body = {k: v for k, v in body.items() if k not in query and k not in COMMON_PARAMS}
    url, sdk_string_to_sign = rpc_signature_composer.get_signed_url(
        dict(query), AK, secret, "JSON", "POST", body
    )
    received = parse_qsl(urlsplit(url).query, keep_blank_values=True)
    ours = rpc_string_to_sign("POST", [*received, *body.items()])
    assert ours == sdk_string_to_sign
    assert rpc_signature(secret, ours) == dict(received)["Signature"]


@SETTINGS
@given(
    query=PARAMS,
    headers=HEADERS,
    body=st.binary(max_size=64),
    secret=SECRET,
    titled=st.booleans(),
)
def test_acs3_client_matches_tea_sdk(
    query: dict[str, str], headers: dict[str, str], body: bytes, secret: str, titled: bool
) -> None:
    payload = hashlib.sha256(body).hexdigest()
    sent = _titled({**headers, "x-acs-content-sha256": payload}, titled)
    ours = sign_acs3_headers(
        access_key_id=AK,
        secret=secret,
        method="POST",
        query=list(query.items()),
        headers=_titled(headers, titled),
        body=body,
    )
    assert ours["authorization"] == _tea_authorization(query, sent, payload, secret)


@SETTINGS
@given(query=PARAMS, headers=HEADERS, body=st.binary(max_size=64), secret=SECRET)
def test_acs3_server_verifies_tea_sdk(
    query: dict[str, str], headers: dict[str, str], body: bytes, secret: str
) -> None:
    payload = hashlib.sha256(body).hexdigest()
    sent = {**headers, "x-acs-content-sha256": payload}
    auth = parse_authorization(_tea_authorization(query, sent, payload, secret))
    received = {k: [v] for k, v in sent.items()}
    canonical = acs3_canonical_request(
        "POST", "/", list(query.items()), received, auth.signed_headers, payload
    )
    assert auth.access_key_id == AK
    assert signatures_equal(acs3_signature(secret, acs3_string_to_sign(canonical)), auth.signature)


def _signature(scheme: str, secret: str, params: dict[str, str]) -> str:
    pairs = list(params.items())
    if scheme == "rpc":
        return rpc_signature(secret, rpc_string_to_sign("POST", pairs))
    names = sorted(FIXED_HEADERS)
    canonical = acs3_canonical_request("POST", "/", pairs, FIXED_HEADERS, names, EMPTY_SHA256)
    return acs3_signature(secret, acs3_string_to_sign(canonical))


def _flip(data: st.DataObject, text: str) -> str:
    """``text`` with one character replaced by a different one."""
    i = data.draw(st.integers(0, len(text) - 1), label="position")
    new = data.draw(CHAR.filter(lambda c: c != text[i]), label="replacement")
    return text[:i] + new + text[i + 1 :]


@pytest.mark.parametrize("scheme", ["rpc", "acs3"])
@SETTINGS
@given(params=FILLED_PARAMS, secret=SECRET, data=st.data())
def test_flipped_value_breaks_signature(
    scheme: str, params: dict[str, str], secret: str, data: st.DataObject
) -> None:
    key = data.draw(st.sampled_from(sorted(params)), label="key")
    tampered = {**params, key: _flip(data, params[key])}
    original = _signature(scheme, secret, params)
    assert not signatures_equal(original, _signature(scheme, secret, tampered))


@pytest.mark.parametrize("scheme", ["rpc", "acs3"])
@SETTINGS
@given(params=PARAMS, secret=SECRET, data=st.data())
def test_flipped_secret_breaks_signature(
    scheme: str, params: dict[str, str], secret: str, data: st.DataObject
) -> None:
    original = _signature(scheme, secret, params)
    assert not signatures_equal(original, _signature(scheme, _flip(data, secret), params))
