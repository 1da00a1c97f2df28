"""percent_encode's shortcut for values with nothing to encode changes no signature."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from hypothesis import given
from hypothesis import strategies as st

from imageshare.auth.signing import percent_encode


@given(st.text())
def test_percent_encode_is_quote_with_tilde_safe(value: str) -> None:
    assert percent_encode(value) == quote(value, safe="~")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("", ""),
        ("m-bp1abcd1234", "m-bp1abcd1234"),
        ("A.b_c~d-9", "A.b_c~d-9"),
        ("2026-11-23T01:08:01Z", "2026-11-23T01%3A08%3A01Z"),
        ("a b", "a%20b"),
        ("a+b*c", "a%2Bb%2Ac"),
        ("é", "%C3%A9"),
        ("٣", "%D9%A3"),  # a digit to str.isdigit, not to the signature
    ],
    ids=["empty", "id", "unreserved", "timestamp", "space", "plus-star", "accent", "arabic-3"],
)
def test_percent_encode_table(value: str, expected: str) -> None:
    assert percent_encode(value) == expected
