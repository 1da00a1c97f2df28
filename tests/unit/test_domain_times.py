"""Wire times: the fast isoformat spelling gives the documented forms for every moment."""

from __future__ import annotations

from datetime import datetime

from hypothesis import given
from hypothesis import strategies as st

from imageshare.domain.times import shared_time, wire_time

MOMENTS = st.datetimes(min_value=datetime(1970, 1, 1), max_value=datetime(9999, 12, 31))


def test_the_documented_examples() -> None:
    assert shared_time(datetime(2024, 7, 15, 13, 59, 21, 123456)) == "2024-07-15 13:59:21.0"
    assert wire_time(datetime(2021, 3, 8, 5, 31, 6, 999999)) == "2021-03-08T05:31:06Z"


@given(MOMENTS)
def test_shared_time_is_the_java_timestamp_text_to_the_second(moment: datetime) -> None:
    assert shared_time(moment) == moment.strftime("%Y-%m-%d %H:%M:%S") + ".0"


@given(MOMENTS)
def test_wire_time_is_iso_8601_utc_to_the_second(moment: datetime) -> None:
    assert wire_time(moment) == moment.strftime("%Y-%m-%dT%H:%M:%SZ")
