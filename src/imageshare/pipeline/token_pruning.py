"""ClientToken records are kept for a window, then pruned: a table that grew by a row per
tokened write, forever, now holds about a window's worth (docs/protocol.md, "ClientToken").

Every ``EVERY``-th request of a worker deletes at most ``BATCH`` of the oldest expired records
in a transaction of its own, after its own work is done, through the index on their creation
time: no request waits for more than one small batch, and a burst of expired records is
worked off over the following requests.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from imageshare.store.database import Store

log = logging.getLogger("imageshare.pipeline")

EVERY = 1000
BATCH = 1000


class TokenPruner:
    def __init__(self, store: Store, window_seconds: int) -> None:
        self._store = store
        self._window = timedelta(seconds=window_seconds)
        self._requests = 0

    def maybe_prune(self, now: datetime) -> None:
        self._requests += 1
        if self._requests % EVERY:
            return
        try:
            with self._store.unit_of_work(write=True) as uow:
                uow.idempotency.forget_before(now - self._window, BATCH)
                uow.commit()
        except Exception:  # the request it rides on has its answer already
            log.exception("could not prune expired ClientToken records")
