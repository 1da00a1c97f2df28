"""Wire times: the fast isoformat spelling gives the documented forms for every moment; the
server's clock (ServerClock) freezes, advances and resumes as documented."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from imageshare.domain.times import REAL_CLOCK, ServerClock, shared_time, wire_time

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


# --- ServerClock: the server's time as tests set it -------------------------------------

REAL = datetime(2026, 12, 6, 12, 0, 0)
LATER = REAL + timedelta(minutes=7)
STEPS = st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=3650))
CLOCKS = st.builds(
    ServerClock,
    st.timedeltas(min_value=timedelta(days=-1), max_value=timedelta(days=3650)),
    st.one_of(st.none(), MOMENTS.filter(lambda m: m.year < 9000)),
)


@pytest.mark.parametrize(
    ("clock", "at_real", "shows"),
    [
        (REAL_CLOCK, REAL, REAL),
        (ServerClock(timedelta(hours=1)), REAL, REAL + timedelta(hours=1)),
        (ServerClock(timedelta(hours=1), REAL), LATER, REAL),  # frozen: the offset waits
        (REAL_CLOCK.frozen(REAL), LATER, REAL),
        (REAL_CLOCK.frozen(REAL).advanced(timedelta(hours=2)), LATER, REAL + timedelta(hours=2)),
        (REAL_CLOCK.advanced(timedelta(hours=2)), LATER, LATER + timedelta(hours=2)),
        (REAL_CLOCK.frozen(REAL).resumed(LATER), LATER, REAL),  # runs on from where it stood
        (REAL_CLOCK.frozen(REAL).resumed(LATER), LATER + timedelta(1), REAL + timedelta(1)),
        (REAL_CLOCK.resumed(LATER), LATER, LATER),  # not frozen: nothing to resume
    ],
)
def test_what_the_clock_shows(clock: ServerClock, at_real: datetime, shows: datetime) -> None:
    assert clock.now(at_real) == shows


def test_only_the_untouched_clock_is_real() -> None:
    assert REAL_CLOCK.is_real and ServerClock(timedelta(0), None).is_real
    assert not REAL_CLOCK.frozen(REAL).is_real
    assert not REAL_CLOCK.advanced(timedelta(microseconds=1)).is_real
    with pytest.raises(ValueError, match="only moves forward"):
        REAL_CLOCK.advanced(timedelta(seconds=-1))


@given(CLOCKS, STEPS, STEPS)
def test_advancing_moves_what_it_shows_by_exactly_the_step(
    clock: ServerClock, step: timedelta, wait: timedelta
) -> None:
    real = REAL + wait
    assert clock.advanced(step).now(real) == clock.now(real) + step


@given(CLOCKS, STEPS)
def test_freezing_then_resuming_loses_no_time_and_never_runs_back(
    clock: ServerClock, wait: timedelta
) -> None:
    frozen = clock.frozen(REAL)
    assert frozen.now(REAL + wait) == clock.now(REAL)
    resumed = frozen.resumed(REAL + wait)
    assert resumed.now(REAL + wait) == clock.now(REAL)
    assert resumed.now(REAL + 2 * wait) >= resumed.now(REAL + wait)
