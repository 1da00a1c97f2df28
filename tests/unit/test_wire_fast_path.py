"""The envelope's fast paths change speed, not bytes: orjson writes every body exactly as
``json.dumps`` did, ClientToken parameter hashes are what they were, query strings parse as
``parse_qsl`` parses them, and request ids are still upper-case version-4 UUIDs."""

from __future__ import annotations

import json
import re
import uuid
from typing import Any
from urllib.parse import parse_qsl, quote

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from imageshare.domain.ids import new_request_id
from imageshare.pipeline.execute import canonical_json, stored_response
from imageshare.pipeline.wire import dump, parse_pairs

# What response bodies hold: text (any Unicode a name or description may carry), 64-bit
# integers, booleans, nulls, and floats no smaller than the smallest plan size (0.5 GiB).
# Below 1e-4 the two spell floats differently (1e-05 against 0.00001); nothing sends those.
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**63 - 1)
    | st.text()
    | st.floats(min_value=1e-4, max_value=1e300)
    | st.floats(min_value=-1e300, max_value=-1e-4)
    | st.just(0.0)
)
BODIES = st.dictionaries(
    st.text(),
    st.recursive(
        SCALARS,
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
        max_leaves=20,
    ),
)


def _as_json_dumps_wrote_it(body: dict[str, Any]) -> bytes:
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


@given(BODIES)
def test_dump_writes_what_json_dumps_wrote(body: dict[str, Any]) -> None:
    assert dump(body) == _as_json_dumps_wrote_it(body)


def test_dump_keeps_non_ascii_and_escapes_control_characters() -> None:
    body = {"Description": "镜像\u2028\n\x00\x7f", "Memory": 0.5, "Count": 2**53}
    assert dump(body) == _as_json_dumps_wrote_it(body)
    assert "镜像".encode() in dump(body)


REQUEST_ID = re.compile(r"^[0-9A-F]{8}-[0-9A-F]{4}-4[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}$")


def test_request_ids_are_upper_case_version_4_uuids() -> None:
    ids = [new_request_id() for _ in range(2000)]
    assert len(set(ids)) == len(ids)
    for request_id in ids:
        assert REQUEST_ID.match(request_id), request_id
        parsed = uuid.UUID(request_id)
        assert parsed.version == 4 and parsed.variant == uuid.RFC_4122
        assert str(parsed).upper() == request_id


def test_request_ids_use_every_variant_digit() -> None:
    """The variant digit is one of 8, 9, A, B, spread evenly, as uuid4's is."""
    digits = {new_request_id()[19] for _ in range(400)}
    assert digits == set("89AB")


# What a request model dumps to: no floats (no request model has one).
PARAMS = st.dictionaries(
    st.text(),
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(),
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
        max_leaves=12,
    ),
)


@given(PARAMS)
@example({"\x7f": None})  # DEL: ASCII, escaped by json.dumps and not by orjson
def test_client_token_hashes_are_made_from_the_same_bytes_as_before(values: dict[str, Any]) -> None:
    """Stored ClientToken records keep their hashes: a retry after an upgrade still matches."""
    assert (
        canonical_json(values) == json.dumps(values, sort_keys=True, separators=(",", ":")).encode()
    )


def test_non_ascii_parameters_hash_as_json_dumps_escaped_them() -> None:
    values = {"ImageName": "镜像-1", "Description": "é"}
    assert canonical_json(values) == b'{"Description":"\\u00e9","ImageName":"\\u955c\\u50cf-1"}'


# What a handler answers: JSON values (no NaN or infinity: no response holds one), integers
# beyond 64 bits and keys that are not strings included, which orjson refuses.
RESPONSES = st.dictionaries(
    st.text() | st.integers(),
    st.recursive(
        st.none()
        | st.booleans()
        | st.integers()
        | st.floats(allow_nan=False, allow_infinity=False)
        | st.text(),
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
        max_leaves=12,
    ),
)


@given(RESPONSES)
def test_a_stored_response_replays_as_json_dumps_stored_it(data: dict[Any, Any]) -> None:
    """A ClientToken's retry gets what it got before orjson wrote the records, and records
    written by earlier versions read back as they did."""
    assert json.loads(stored_response(data)) == json.loads(json.dumps(data))


# Query strings as sent (the characters percent-encoding leaves, and every other one) and
# as a hand-made client might send them (bare "+", "%" without digits, "=" in values, "&&").
QUERY_TEXT = st.text(alphabet=st.sampled_from("aZ09-_.~%+=&;é 2F/")) | st.text()
ENCODED_QUERIES = st.lists(st.tuples(st.text(), st.text()), max_size=6).map(
    lambda pairs: "&".join(f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in pairs)
)


@given(QUERY_TEXT | ENCODED_QUERIES)
def test_query_strings_parse_as_parse_qsl_parses_them(query: str) -> None:
    assert parse_pairs(query) == parse_qsl(query, keep_blank_values=True)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", []),
        ("a=1&a=2", [("a", "1"), ("a", "2")]),
        ("Name=a+b%2Bc", [("Name", "a b+c")]),
        ("flag&=v&&x=", [("flag", ""), ("", "v"), ("x", "")]),
        ("k=%E9%95%9C%E5%83%8F", [("k", "镜像")]),
        ("k=%ZZ%", [("k", "%ZZ%")]),
    ],
)
def test_query_string_examples(query: str, expected: list[tuple[str, str]]) -> None:
    assert parse_pairs(query) == expected
