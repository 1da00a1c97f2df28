"""SQLite's nonce ledger (store/ledger.py): a nonce is refused for as long as a request carrying
it could pass the timestamp check, across threads and processes sharing one file."""

from __future__ import annotations

import tempfile
import threading
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from imageshare.store.engine import WAL_CHECKPOINT_PAGES
from imageshare.store.ledger import LedgerMismatch, NonceLedger, ledger_path, period_for

SKEW = timedelta(minutes=15)
PERIOD = period_for(SKEW)  # 31 minutes
NOW = datetime(2026, 11, 23, 12, 0, 0)


@pytest.fixture
def path(tmp_path: Path) -> str:
    return str(tmp_path / "imageshare.db-nonces")


def test_a_nonce_is_claimed_once_per_key(path: str) -> None:
    ledger = NonceLedger(path, PERIOD)
    assert ledger.claim("LTAIa", "n-1", NOW)
    assert not ledger.claim("LTAIa", "n-1", NOW + timedelta(seconds=1))
    assert ledger.claim("LTAIb", "n-1", NOW)
    assert ledger.claim("LTAIa", "n-2", NOW)
    ledger.close()


def test_a_nonce_is_remembered_through_the_next_period_and_forgotten_after_two(path: str) -> None:
    ledger = NonceLedger(path, PERIOD)
    period = timedelta(seconds=PERIOD)
    assert ledger.claim("LTAIa", "n-1", NOW)
    assert not ledger.claim("LTAIa", "n-1", NOW + period)  # in the other table
    assert ledger.claim("LTAIa", "n-1", NOW + 2 * period)  # its table was emptied
    ledger.close()


def test_ledgers_on_one_file_share_claims_and_turns(path: str) -> None:
    """Two ledgers stand for two server processes: each sees the other's claims, and a table
    one of them emptied for a new period is not emptied again by the other."""
    first, second = NonceLedger(path, PERIOD), NonceLedger(path, PERIOD)
    later = NOW + 2 * timedelta(seconds=PERIOD)
    assert first.claim("LTAIa", "n-1", NOW)
    assert not second.claim("LTAIa", "n-1", NOW)
    assert first.claim("LTAIa", "n-2", later)  # first turns the table for the new period
    assert not second.claim("LTAIa", "n-2", later)  # ... and second keeps what it holds
    first.close()
    second.close()


def test_concurrent_claims_of_one_nonce_have_one_winner(path: str) -> None:
    ledger = NonceLedger(path, PERIOD)
    nonces = [f"n-{i}" for i in range(150)]
    wins: list[int] = []
    start = threading.Barrier(4)

    def claim_all() -> None:
        start.wait()
        wins.append(sum(ledger.claim("LTAIa", nonce, NOW) for nonce in nonces))

    threads = [threading.Thread(target=claim_all) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    ledger.close()
    assert len(wins) == 4 and sum(wins) == len(nonces)


def test_a_ledger_made_for_a_shorter_skew_stops_a_server_that_needs_longer(path: str) -> None:
    NonceLedger(path, PERIOD).close()
    with pytest.raises(LedgerMismatch, match="IMAGESHARE_MAX_CLOCK_SKEW_SECONDS") as raised:
        NonceLedger(path, period_for(2 * SKEW))
    assert path in str(raised.value)
    shorter = NonceLedger(path, period_for(SKEW / 2))  # a longer period is safe: kept
    assert shorter.period_seconds == PERIOD
    shorter.close()


@pytest.mark.parametrize("url", ["sqlite://", "sqlite:///:memory:", "sqlite:///file:x?mode=memory"])
def test_an_in_memory_database_has_no_ledger(url: str) -> None:
    with pytest.raises(ValueError, match="SQLite database file"):
        ledger_path(url)


def test_the_ledger_lies_beside_the_database() -> None:
    assert ledger_path("sqlite:////srv/data/imageshare.db") == "/srv/data/imageshare.db-nonces"
    assert ledger_path("sqlite:///relative.db?timeout=5") == "relative.db-nonces"


@settings(max_examples=60, deadline=None)
@given(
    st.integers(min_value=0, max_value=10**6),
    st.timedeltas(min_value=timedelta(0), max_value=2 * SKEW),
)
def test_a_replay_within_twice_the_skew_is_always_refused(start: int, later: timedelta) -> None:
    """A request passes the timestamp check at most twice the skew after its nonce was first
    seen; wherever the period boundaries fall, the nonce is still there."""
    first = NOW + timedelta(seconds=start)
    with tempfile.TemporaryDirectory() as tmp:
        ledger = NonceLedger(f"{tmp}/ledger", PERIOD)
        assert ledger.claim("LTAIa", "n", first)
        assert not ledger.claim("LTAIa", "n", first + later)
        ledger.close()


Claim = tuple[int, int, int]  # key, nonce, seconds since the previous claim


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 1), st.integers(0, 3), st.sampled_from([0, 1, 600, PERIOD, 3000])),
        max_size=30,
    )
)
def test_the_ledger_agrees_with_a_model_of_periods(claims: list[Claim]) -> None:
    """Refused exactly when the key claimed the nonce in this period or the one before."""
    won: dict[tuple[int, int], int] = {}  # (key, nonce) -> period of its last winning claim
    at = NOW
    with tempfile.TemporaryDirectory() as tmp:
        ledger = NonceLedger(f"{tmp}/ledger", PERIOD)
        for key, nonce, gap in claims:
            at += timedelta(seconds=gap)
            period = int((at - datetime(1970, 1, 1)).total_seconds()) // PERIOD
            expected = won.get((key, nonce), -10) < period - 1
            assert ledger.claim(f"LTAI{key}", f"n-{nonce}", at) is expected
            if expected:
                won[(key, nonce)] = period
        ledger.close()


def test_the_ledger_uses_wal_with_fewer_larger_checkpoints(path: str) -> None:
    ledger = NonceLedger(path, PERIOD)
    driver = ledger._connection()
    pragmas = {
        name: driver.execute(f"PRAGMA {name}").fetchone()[0]
        for name in ("journal_mode", "synchronous", "wal_autocheckpoint", "busy_timeout")
    }
    ledger.close()
    # synchronous 1 is NORMAL; no busy timeout, as every transaction waits for the lock itself.
    assert pragmas == {
        "journal_mode": "wal",
        "synchronous": 1,
        "wal_autocheckpoint": WAL_CHECKPOINT_PAGES,
        "busy_timeout": 0,
    }
