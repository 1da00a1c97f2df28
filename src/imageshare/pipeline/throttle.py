"""Throttling as documented (docs/testing.md, "Throttling"): a token bucket per account and
operation, in this process.

Per process, not shared: a bucket in the database would be a write on every throttled call
(on SQLite, the write lock for every read). With ``serve --workers N`` each worker enforces
its share of a rate (``Rate.shared_by``), so together they allow about the documented rate; a
burst whose calls land unevenly on the workers can be refused a little early or let through a
little late, and several servers on one database each allow the whole rate.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping

from imageshare.config import Settings
from imageshare.domain.throttling import Bucket, Rate, parse_throttle
from imageshare.errors import Throttled

# A bucket is kept per (account, action) that called; past this many, the ones refilled to
# full are forgotten (a full bucket is the same as none), so a server that many accounts call
# keeps only the buckets of those calling now, not one per account it ever met.
PRUNE_AT = 10_000


class Throttle:
    def __init__(
        self,
        rates: Mapping[str, Rate],
        processes: int = 1,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._rates = {action: rate.shared_by(processes) for action, rate in rates.items()}
        self._buckets: dict[tuple[int, str], Bucket] = {}
        self._clock = clock
        self._lock = threading.Lock()  # tests call the pipeline from several threads
        self._prune_at = PRUNE_AT

    @classmethod
    def of(cls, settings: Settings) -> Throttle | None:
        """The settings' throttle, or None when it is off.

        :raises InvalidThrottle: ``settings.throttle`` cannot be read.
        """
        rates = parse_throttle(settings.throttle)
        return cls(rates, settings.workers) if rates else None

    def check(self, ram_action: str, account_id: int) -> None:
        """Count a call of ``ram_action`` (``ecs:DescribeImages``) by ``account_id``.

        :raises Throttled: its bucket is empty.
        """
        rate = self._rates.get(ram_action)
        if rate is None:
            return
        now, key = self._clock(), (account_id, ram_action)
        with self._lock:
            bucket = self._buckets.get(key)
            if bucket is None:
                if len(self._buckets) >= self._prune_at:
                    self._forget_full(now)
                bucket = self._buckets[key] = Bucket.full(rate, now)
            passed = bucket.take(rate, now)
        if not passed:
            raise Throttled()

    @property
    def buckets(self) -> int:
        """How many buckets are kept."""
        return len(self._buckets)

    def _forget_full(self, now: float) -> None:
        rates = self._rates
        self._buckets = {
            key: bucket
            for key, bucket in self._buckets.items()
            if not bucket.is_full(rates[key[1]], now)
        }
        # Still this many busy buckets: the next pass waits until twice as many, so a crowd
        # of busy accounts costs a pass now and then, not one per new account.
        self._prune_at = max(PRUNE_AT, 2 * len(self._buckets))
