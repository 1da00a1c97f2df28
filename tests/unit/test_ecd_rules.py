"""The pure ECD image rules: names, descriptions, OS types, ids, copy progress, NextToken
cursors, and the share-count arithmetic both products use."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from imageshare.domain.ecd import (
    ECD_CREATING,
    ecd_os_type,
    effective_ecd_status,
    new_ecd_id,
    valid_ecd_description,
    valid_ecd_image_name,
)
from imageshare.domain.images import copy_progress
from imageshare.domain.paging import decode_cursor, encode_cursor
from imageshare.domain.sharing import ECD_SHARING, SWAS_SHARING, shares_after_change

T0 = datetime(2026, 11, 23, 12, 0, 0)


@pytest.mark.parametrize(
    ("name", "valid"),
    [
        ("ab", True),
        ("Office_Shanghai", True),
        ("win:2019-base_v2", True),
        ("中文镜像", True),
        ("a" * 128, True),
        ("a", False),
        ("a" * 129, False),
        ("9lives", False),  # a digit may start a SWAS name, not an ECD one
        ("_under", False),
        ("has space", False),
        ("dot.name", False),
        ("slash/name", False),
        ("http://x", False),
        ("https://x", False),
        ("", False),
    ],
    ids=repr,
)
def test_image_names(name: str, valid: bool) -> None:
    assert valid_ecd_image_name(name) is valid


@pytest.mark.parametrize(
    ("text", "valid"),
    [
        ("ok", True),
        ("x" * 256, True),
        ("with spaces, dots. and http:// inside", True),
        ("x", False),
        ("x" * 257, False),
        ("http://example.com", False),
        ("https://example.com", False),
    ],
    ids=repr,
)
def test_descriptions(text: str, valid: bool) -> None:
    assert valid_ecd_description(text) is valid


@pytest.mark.parametrize(
    ("value", "expected"),
    [("Windows", "Windows"), ("windows", "Windows"), ("LINUX", "Linux"), ("mac", None), ("", None)],
)
def test_os_types(value: str, expected: str | None) -> None:
    assert ecd_os_type(value) == expected


def test_ids_look_like_ecds() -> None:
    ids = {new_ecd_id("m") for _ in range(200)}
    assert len(ids) == 200
    assert all(re.match(r"^m-[a-z0-9]{17}$", i) for i in ids)
    assert re.match(r"^ecd-[a-z0-9]{17}$", new_ecd_id("ecd"))


def test_a_copy_is_creating_until_it_arrives() -> None:
    ready = T0 + timedelta(seconds=2)
    assert effective_ecd_status("Available", ready, T0) == ECD_CREATING
    assert effective_ecd_status("Available", ready, ready) == "Available"
    assert effective_ecd_status("Available", None, T0) == "Available"
    assert copy_progress(T0, ready, T0) == 0
    assert copy_progress(T0, ready, T0 + timedelta(seconds=1)) == 50
    assert copy_progress(T0, ready, ready) == 100
    assert copy_progress(T0, None, T0) == 100


@given(st.integers(min_value=0, max_value=10_000))
def test_copy_progress_rises_and_stays_below_100_until_arrival(millis: int) -> None:
    ready = T0 + timedelta(seconds=2)
    now = T0 + timedelta(milliseconds=millis)
    progress = copy_progress(T0, ready, now)
    assert 0 <= progress <= 100
    assert (progress == 100) == (now >= ready)
    later = copy_progress(T0, ready, now + timedelta(milliseconds=1))
    assert later >= progress


@given(
    st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1)),
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-|", min_size=1, max_size=30),
)
def test_cursor_round_trip(moment: datetime, image_id: str) -> None:
    token = encode_cursor(moment, image_id)
    assert re.match(r"^[A-Za-z0-9_-]+$", token), "safe in a query string as it is"
    assert decode_cursor(token) == (moment, image_id)


@pytest.mark.parametrize("token", ["not-a-token", "====", "bm8tYmFy", "!!"])
def test_foreign_cursors_are_refused(token: str) -> None:
    assert decode_cursor(token) is None


@given(st.sets(st.integers(1, 60)), st.sets(st.integers(1, 60)), st.sets(st.integers(1, 60)))
def test_share_count_after_a_change(
    current: set[int], adding: set[int], removing: set[int]
) -> None:
    after = shares_after_change(current, adding, removing - adding)
    assert after == len((current - removing) | adding)
    assert shares_after_change(current, current, set()) == len(current), "re-adding is no share"
    assert after >= len(adding)


def test_product_rules_differ_only_where_the_docs_do() -> None:
    assert (SWAS_SHARING.across_sites, ECD_SHARING.across_sites) == (False, True)
    assert (SWAS_SHARING.encrypted_shareable, ECD_SHARING.encrypted_shareable) == (True, False)
    assert (ECD_SHARING.add_parameter, ECD_SHARING.remove_parameter) == (
        "AddAccount",
        "RemoveAccount",
    )
    assert SWAS_SHARING.add_parameter == SWAS_SHARING.remove_parameter == "Account"
