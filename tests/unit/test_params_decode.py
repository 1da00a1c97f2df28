"""Decoding flat RPC parameters, validating them into models, and parsing timestamps."""

from __future__ import annotations

import contextlib
from datetime import datetime
from typing import Annotated, Any

import pytest
from alibabacloud_tea_openapi.utils import Utils as TeaUtils
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import Field

from imageshare.api.models import RpcRequest
from imageshare.errors import InvalidParameter, MissingParameter, ServiceError, TimestampFormat
from imageshare.pipeline.common import parse_timestamp
from imageshare.pipeline.params import decode, decode_nested, validate


class ShareRequest(RpcRequest):
    region_id: str
    account: list[int]
    page_size: Annotated[int, Field(ge=1, le=50)] = 10


def _accounts(*indexes: int) -> list[tuple[str, str]]:
    return [(f"Account.{i}", f"a{i}") for i in indexes]


def _assert_error(exc: ServiceError, code: str, name: str) -> None:
    assert exc.code == code
    assert exc.http_status == 400
    assert f'"{name}"' in exc.message


DECODED = [
    ([], {}),
    (
        [("RegionId", "cn-hangzhou"), ("ImageId", "m-1")],
        {"RegionId": "cn-hangzhou", "ImageId": "m-1"},
    ),
    ([("Name", "")], {"Name": ""}),
    (_accounts(2, 1), {"Account": ["a1", "a2"]}),
    (_accounts(10, 2, 1, 11, 3, 9, 4, 8, 5, 7, 6), {"Account": [f"a{i}" for i in range(1, 12)]}),
    (_accounts(*range(12, 0, -1)), {"Account": [f"a{i}" for i in range(1, 13)]}),
    (
        [("Tag.2.Key", "k2"), ("Tag.1.Value", "v1"), ("Tag.1.Key", "k1"), ("Tag.2.Value", "v2")],
        {"Tag": [{"Key": "k1", "Value": "v1"}, {"Key": "k2", "Value": "v2"}]},
    ),
    ([("Filter.Name", "x"), ("Filter.Size", "1")], {"Filter": {"Name": "x", "Size": "1"}}),
    ([("Grid.2.1", "c"), ("Grid.1.2", "b"), ("Grid.1.1", "a")], {"Grid": [["a", "b"], ["c"]]}),
    ([("A", "1"), ("A", "2")], {"A": "2"}),
]


@pytest.mark.parametrize(("pairs", "expected"), DECODED)
def test_decode(pairs: list[tuple[str, str]], expected: dict[str, Any]) -> None:
    assert decode(pairs) == expected


BAD_PAIRS = [
    ([("Account.0", "x")], "Account.0"),
    ([("Account.1", "a"), ("Account.0", "x")], "Account.0"),
    ([("Tag.0.Key", "k")], "Tag.0.Key"),
    ([("Account", "x"), ("Account.1", "y")], "Account.1"),
    ([("Account.1", "y"), ("Account", "x")], "Account"),
    ([("Tag.1", "x"), ("Tag.1.Key", "k")], "Tag.1.Key"),
    ([("Tag.1.Key", "k"), ("Tag.1", "x")], "Tag.1"),
    (_accounts(1, 3), "Account.3"),  # a gap: the first index out of sequence is named
    (_accounts(2), "Account.2"),
    (_accounts(1, 2, 10), "Account.10"),
    ([("Tag.1.Key", "k"), ("Tag.3.Key", "k")], "Tag.3"),
    ([("Grid.1.1", "a"), ("Grid.1.3", "c")], "Grid.1.3"),
    ([("Tag.1", "a"), ("Tag.Key", "b")], "Tag"),  # a list and a struct at once
]


@pytest.mark.parametrize(("pairs", "name"), BAD_PAIRS)
def test_decode_rejects(pairs: list[tuple[str, str]], name: str) -> None:
    with pytest.raises(InvalidParameter) as caught:
        decode(pairs)
    _assert_error(caught.value, "InvalidParameter", name)


def test_decode_non_ascii_digit_index_is_a_client_error() -> None:
    with contextlib.suppress(InvalidParameter):  # rejecting it is fine, crashing is not
        decode([("Account.²", "x")])


def test_validate_accepts() -> None:
    pairs = [("RegionId", "cn-hangzhou"), ("Account.2", "22"), ("Account.1", "11")]
    request = validate(ShareRequest, decode(pairs))
    assert request == ShareRequest(region_id="cn-hangzhou", account=[11, 22], page_size=10)


INVALID = [
    ([("Account.1", "1")], MissingParameter, "RegionId"),
    ([("RegionId", "r")], MissingParameter, "Account"),
    ([("RegionId", "r"), ("Account.1", "1"), ("Account.2", "abc")], InvalidParameter, "Account.2"),
    ([("RegionId", "r"), ("Account.1", "1"), ("PageSize", "51")], InvalidParameter, "PageSize"),
    ([("RegionId", "r"), ("Account.1", "1"), ("PageSize", "0")], InvalidParameter, "PageSize"),
    ([("RegionId", "r"), ("Account", "1")], InvalidParameter, "Account"),
]


@pytest.mark.parametrize(("pairs", "error", "name"), INVALID)
def test_validate_rejects(
    pairs: list[tuple[str, str]], error: type[ServiceError], name: str
) -> None:
    with pytest.raises(error) as caught:
        validate(ShareRequest, decode(pairs))
    _assert_error(caught.value, error.code, name)


def test_validate_names_parameter_as_sent_across_a_gap() -> None:
    pairs = [("RegionId", "r"), ("Account.1", "1"), ("Account.3", "abc")]
    with pytest.raises(InvalidParameter) as caught:
        validate(ShareRequest, decode(pairs))
    _assert_error(caught.value, "InvalidParameter", "Account.3")


NAME = st.from_regex(r"[A-Z][A-Za-z]{0,8}", fullmatch=True)
LEAF = st.text(max_size=10)
NESTED = st.recursive(
    LEAF,
    lambda inner: (
        st.lists(inner, min_size=1, max_size=12)
        | st.dictionaries(NAME, inner, min_size=1, max_size=3)
    ),
    max_leaves=25,
)


@settings(max_examples=150, deadline=None, database=None)
@given(st.dictionaries(NAME, NESTED, max_size=5))
def test_decode_undoes_tea_sdk_flattening(structure: dict[str, Any]) -> None:
    flat: dict[str, str] = TeaUtils.query(structure)
    assert decode(list(flat.items())) == structure


VALID_TIMESTAMPS = [
    ("2026-11-23T01:02:03Z", datetime(2026, 11, 23, 1, 2, 3)),
    ("2026-11-23T01:02:03.5Z", datetime(2026, 11, 23, 1, 2, 3)),
    ("2026-11-23T01:02:03.123456Z", datetime(2026, 11, 23, 1, 2, 3)),
    ("2024-02-29T23:59:59Z", datetime(2024, 2, 29, 23, 59, 59)),
    ("2000-01-01T00:00:00Z", datetime(2000, 1, 1)),
]


@pytest.mark.parametrize(("value", "expected"), VALID_TIMESTAMPS)
def test_parse_timestamp(value: str, expected: datetime) -> None:
    parsed = parse_timestamp(value)
    assert parsed == expected
    assert parsed.tzinfo is None


INVALID_TIMESTAMPS = [
    "",
    "2026-11-23T01:02:03",
    "2026-13-01T00:00:00Z",
    "2026-00-10T00:00:00Z",
    "2026-02-30T00:00:00Z",
    "2025-02-29T00:00:00Z",
    "2026-11-23T24:00:00Z",
    "2026-11-23T01:60:00Z",
    "2026-11-23T01:02:60Z",
    "2026-11-23 01:02:03",
    "2026-11-23 01:02:03Z",
    "2026-11-23T01:02:03z",
    "2026-11-23T01:02:03+00:00",
    "2026-11-23T01:02:03.Z",
    "2026-11-23T01:02:03.1234567Z",
    "2026-11-23T01:02Z",
    "26-11-23T01:02:03Z",
    " 2026-11-23T01:02:03Z",
    "2026-11-23T01:02:03Z ",
    "1763859723",
    "2026-11-23T01:02:03Z\n",
    "٢٠٢٦-11-23T01:02:03Z",  # Arabic-Indic digits
    "２０２６-11-23T01:02:03Z",  # full-width digits
]


@pytest.mark.parametrize("value", INVALID_TIMESTAMPS)
def test_parse_timestamp_rejects(value: str) -> None:
    with pytest.raises(TimestampFormat) as caught:
        parse_timestamp(value)
    assert caught.value.code == "InvalidTimeStamp.Format"
    assert caught.value.http_status == 400
    assert f'"{value}"' in caught.value.message


@given(st.lists(st.tuples(st.text().filter(lambda k: "." not in k), st.text()), max_size=8))
def test_parameters_with_nothing_nested_decode_as_the_general_path_decodes_them(
    pairs: list[tuple[str, str]],
) -> None:
    """The shortcut for dot-free names (repeated names included: the last one wins)."""
    assert decode(pairs) == decode_nested(pairs)
