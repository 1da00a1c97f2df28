"""Throttling's pure parts (imageshare.domain.throttling, pipeline/throttle.py): the setting's
grammar, the documented rates, the token bucket, and a rate shared by worker processes."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from imageshare.domain.throttling import (
    DOCUMENTED_RATES,
    Bucket,
    InvalidThrottle,
    Rate,
    parse_throttle,
)
from imageshare.errors import Throttled
from imageshare.pipeline.throttle import PRUNE_AT, Throttle


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", {}),
        (" , ", {}),
        ("ecs:DescribeImages=5", {"ecs:DescribeImages": Rate(5, 1.0)}),
        ("ecs:DescribeImages=5/s", {"ecs:DescribeImages": Rate(5, 1.0)}),
        ("swas-open:ListImages=10/min", {"swas-open:ListImages": Rate(10, 60.0)}),
        (
            "ecd:CopyImage=1/m, ecs:CopyImage=2",
            {"ecd:CopyImage": Rate(1, 60.0), "ecs:CopyImage": Rate(2, 1.0)},
        ),
        ("documented", DOCUMENTED_RATES),
        (
            "documented,actiontrail:LookupEvents=20",
            {**DOCUMENTED_RATES, "actiontrail:LookupEvents": Rate(20, 1.0)},
        ),
        (
            "actiontrail:LookupEvents=20,documented",
            {**DOCUMENTED_RATES, "actiontrail:LookupEvents": Rate(20, 1.0)},
        ),
    ],
)
def test_the_setting_is_read(text: str, expected: dict[str, Rate]) -> None:
    assert parse_throttle(text) == expected


@pytest.mark.parametrize(
    "text",
    ["documentd", "ecs:DescribeImages", "DescribeImages=5", "ecs:=5", ":X=5", "ecs:X=five",
     "ecs:X=5/hour", "ecs:X=-1", "ecs:X=0", "ecs:X=1.5"],
)  # fmt: skip
def test_a_setting_that_cannot_be_read_says_how_to_write_one(text: str) -> None:
    with pytest.raises(InvalidThrottle, match="product:Action=N|at least 1"):
        parse_throttle(text)


def test_the_documented_rates() -> None:
    assert DOCUMENTED_RATES["actiontrail:LookupEvents"] == Rate(2, 1.0)
    assert {r for a, r in DOCUMENTED_RATES.items() if a.startswith("swas-open:")} == {
        Rate(10, 60.0)
    }


def test_a_bucket_lets_a_burst_through_then_one_per_token() -> None:
    rate, bucket = Rate(3, 1.0), Bucket.full(Rate(3, 1.0), 0.0)
    assert [bucket.take(rate, 0.0) for _ in range(4)] == [True, True, True, False]
    assert not bucket.take(rate, 0.3)
    assert bucket.take(rate, 0.34)
    assert [bucket.take(rate, 100.0) for _ in range(4)] == [True, True, True, False]


@given(st.lists(st.floats(min_value=0, max_value=0.5), min_size=1, max_size=200))
def test_a_bucket_never_allows_more_than_its_burst_and_rate(gaps: list[float]) -> None:
    rate = Rate(2, 1.0)
    bucket, now, passed = Bucket.full(rate, 0.0), 0.0, 0
    for gap in gaps:
        now += gap
        passed += bucket.take(rate, now)
    assert passed <= rate.calls + now * rate.per_second + 1e-9


@pytest.mark.parametrize(
    ("rate", "processes", "each"),
    [
        (Rate(10, 60.0), 1, Rate(10, 60.0)),
        (Rate(10, 60.0), 2, Rate(5, 60.0)),
        (Rate(2, 1.0), 4, Rate(1, 2.0)),
        (Rate(3, 1.0), 2, Rate(2, 4 / 3)),
    ],
)
def test_workers_share_a_rate(rate: Rate, processes: int, each: Rate) -> None:
    shared = rate.shared_by(processes)
    assert shared == each
    assert shared.per_second * processes == pytest.approx(rate.per_second)


def test_the_throttle_counts_per_account_and_action() -> None:
    now = [0.0]
    throttle = Throttle({"ecs:CopyImage": Rate(1, 1.0)}, clock=lambda: now[0])
    throttle.check("ecs:CopyImage", 1)
    throttle.check("ecs:CopyImage", 2)
    throttle.check("ecs:DescribeImages", 1)  # no rate: never throttled
    with pytest.raises(Throttled) as info:
        throttle.check("ecs:CopyImage", 1)
    assert (info.value.code, info.value.http_status) == ("Throttling.User", 400)
    now[0] = 1.0
    throttle.check("ecs:CopyImage", 1)


def test_the_throttle_forgets_buckets_that_refilled() -> None:
    """A bucket per account ever met would grow without end on a long-running server: past
    PRUNE_AT the full ones go, and a bucket still drained is kept (its caller still waits)."""
    now = [0.0]
    throttle = Throttle({"ecs:CopyImage": Rate(1, 1.0)}, clock=lambda: now[0])
    for account in range(PRUNE_AT):
        throttle.check("ecs:CopyImage", account)
    assert throttle.buckets == PRUNE_AT
    now[0] = 0.5  # none refilled yet: all are kept, and the next pass waits for twice as many
    throttle.check("ecs:CopyImage", PRUNE_AT)
    assert throttle.buckets == PRUNE_AT + 1
    now[0] = 2.0  # all refilled; the one account that calls again is drained once more
    for account in range(PRUNE_AT + 1, 2 * PRUNE_AT + 1):
        throttle.check("ecs:CopyImage", account)
    throttle.check("ecs:CopyImage", 0)
    assert throttle.buckets == 1 + PRUNE_AT
    with pytest.raises(Throttled):
        throttle.check("ecs:CopyImage", 0)
