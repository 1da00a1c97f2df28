"""The edge checks every parameter passes (pipeline/wire_values.py, pipeline/params.py)."""

from __future__ import annotations

from typing import Annotated

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import Field

from imageshare.api.models import RpcRequest
from imageshare.errors import InvalidParameter
from imageshare.pipeline.params import parse
from imageshare.pipeline.wire_values import LONG_MAX, LONG_MIN, parse_long


class Tag(RpcRequest):
    key: str
    value: str = ""


class Request(RpcRequest):
    region_id: str
    account: list[int] = []
    page_size: Annotated[int, Field(ge=1, le=50)] = 10
    page_number: int | None = None
    share: bool | None = None
    tag: list[Tag] = []
    description: Annotated[str, Field(max_length=256)] = ""


R = [("RegionId", "cn-hangzhou")]

REFUSED = [
    ([("PageSize", "1_0")], "PageSize"),
    ([("PageSize", " 5 ")], "PageSize"),
    ([("PageSize", "2.0")], "PageSize"),
    ([("PageSize", "+5")], "PageSize"),
    ([("PageSize", "\u0665")], "PageSize"),
    ([("PageNumber", "9223372036854775808")], "PageNumber"),
    ([("PageNumber", "-9223372036854775809")], "PageNumber"),
    ([("PageNumber", "1" + "0" * 25)], "PageNumber"),
    ([("Account.1", "1"), ("Account.2", "9223372036854775808")], "Account.2"),
    ([("Account.01", "1")], "Account.01"),
    ([("Account.1234567", "1")], "Account.1234567"),
    ([("Account.1" + "1" * 5000, "1")], "Account.1" + "1" * 5000),
    ([("Share", "yes")], "Share"),
    ([("Share", "1")], "Share"),
    ([("Share", "TRUE")], "Share"),
    ([("RegionId", "cn-\x00")], "RegionId"),
    ([("Description", "a\x1bb")], "Description"),
    ([("Description", "\x7f")], "Description"),
    ([("Description", "d" * 257)], "Description"),
    ([("Tag.1.Key", "k\x00")], "Tag.1.Key"),
    ([("Tag.1.Value", "v" * 1025), ("Tag.1.Key", "k")], "Tag.1.Value"),
    ([("Tag" + ".1" * 10, "v")], "Tag" + ".1" * 10),
]


@pytest.mark.parametrize(("pairs", "name"), REFUSED)
def test_refused_naming_the_parameter(pairs: list[tuple[str, str]], name: str) -> None:
    with pytest.raises(InvalidParameter) as caught:
        parse(Request, [*R, *pairs])
    shown = f'"{name}"' if len(name) <= 200 else f'"{name[:200]}..."'
    assert shown in caught.value.message


ACCEPTED = [
    [("PageSize", "007"), ("Share", "True")],
    [("Share", "false"), ("PageNumber", "9223372036854775807")],
    [("PageNumber", "-9223372036854775808")],
    [("Description", "line one\nline two\ttabbed\r\n")],
    [("X" + ".1" * 500, "v"), ("Y", "1"), ("Y.1", "2"), ("Z.01", "\x00")],
    [("Unknown", "\x00" * 5000)],
]


@pytest.mark.parametrize("pairs", ACCEPTED)
def test_accepted(pairs: list[tuple[str, str]]) -> None:
    assert parse(Request, [*R, *pairs]).region_id == "cn-hangzhou"


@given(st.text(max_size=25))
def test_parse_long_is_plain_digits_in_range(text: str) -> None:
    plain = text.isascii() and text.lstrip("-").isdigit() and text.count("-") <= 1
    plain = plain and not text.endswith("-") and text[:1] != "+"
    expected = int(text) if plain and len(text.lstrip("-")) <= 19 else None
    if expected is not None and not LONG_MIN <= expected <= LONG_MAX:
        expected = None
    assert parse_long(text) == expected


@given(st.integers(min_value=LONG_MIN, max_value=LONG_MAX))
def test_every_long_round_trips(number: int) -> None:
    assert parse_long(str(number)) == number
