"""``/metrics``: requests by product, action, error code and HTTP status, and a latency
histogram per action (docs/observability.md).

Label values come from our own registry and error classes, never from the caller's text: a
request for an action that does not exist counts under ``action="-"``, so no caller can grow
the label set.

Every API call is observed, so ``observe`` is a few dict and list updates rather than
prometheus_client's ``Counter``/``Histogram`` children (a lock per value and a Python loop over
the buckets cost ~17,500 instructions a call under callgrind). No lock is needed:
``observe`` and the scrape both run on the event loop thread (http/asgi.py), never at once. The
scrape turns that state into the same families prometheus_client's own metrics would give.
"""

from __future__ import annotations

import time
from bisect import bisect_left
from collections.abc import Iterator

from prometheus_client import CollectorRegistry, Histogram, generate_latest
from prometheus_client import metrics as prometheus_metrics
from prometheus_client.core import CounterMetricFamily, HistogramMetricFamily, Metric
from prometheus_client.samples import Sample
from prometheus_client.utils import floatToGoString

from imageshare.pipeline.trace import Trace

UNROUTED = "-"
REQUESTS = "imageshare_requests"
REQUESTS_HELP = "API requests by product, action, error code ('' for success) and HTTP status."
REQUEST_LABELS = ("product", "action", "code", "status")
SECONDS = "imageshare_request_seconds"
SECONDS_HELP = "Time in the pipeline per request, by product and action."
SECONDS_LABELS = ("product", "action")
# prometheus_client's default buckets, ending in +Inf: ``bisect_left`` finds the first bound
# ``>=`` the value, the bucket ``Histogram.observe`` picks, and every finite value has one.
UPPER_BOUNDS = tuple(float(bound) for bound in Histogram.DEFAULT_BUCKETS)
# The ``le`` labels as the library writes them ("0.005", "1.0", "+Inf"); it leaves this untyped.
BUCKET_NAMES = tuple(floatToGoString(bound) for bound in UPPER_BOUNDS)  # type: ignore[no-untyped-call]

RequestKey = tuple[str, str, str, int]  # product, action, error code, HTTP status
Series = tuple[str, str]  # product, action


class _Latency:
    """One action's histogram: the count per bucket (not cumulative), their sum, and when the
    series was first seen (its ``_created`` sample)."""

    __slots__ = ("buckets", "total", "created")

    def __init__(self) -> None:
        self.buckets = [0] * len(UPPER_BOUNDS)
        self.total = 0.0
        self.created = time.time()


class _Requests:
    """One counter series, and its action's histogram: a call finds both in one dict lookup."""

    __slots__ = ("count", "created", "latency")

    def __init__(self, latency: _Latency) -> None:
        self.count = 0
        self.created = time.time()
        self.latency = latency


class RequestMetrics:
    def __init__(self) -> None:
        self._requests: dict[RequestKey, _Requests] = {}
        self._latency: dict[Series, _Latency] = {}  # also the histogram series' first-seen order
        self.registry = CollectorRegistry()
        self.registry.register(self)

    def observe(self, trace: Trace, seconds: float) -> None:
        # On every API call: one tuple hashed, one dict lookup, a bisect in C; no Python call
        # but on a series' first call (even ``Trace.error_code``, inlined: ~700 instructions).
        error = trace.error
        code = "" if error is None else error.code
        if trace.routed:
            key = (trace.product, trace.action, code, trace.status)
        else:
            key = (UNROUTED, UNROUTED, code, trace.status)
        requests = self._requests.get(key)
        if requests is None:
            requests = self._first_call(key)
        requests.count += 1
        latency = requests.latency
        latency.buckets[bisect_left(UPPER_BOUNDS, seconds)] += 1
        latency.total += seconds

    def _first_call(self, key: RequestKey) -> _Requests:
        series = key[:2]
        latency = self._latency.get(series)
        if latency is None:
            latency = self._latency[series] = _Latency()
        requests = self._requests[key] = _Requests(latency)
        return requests

    def render(self) -> bytes:
        return generate_latest(self.registry)

    def collect(self) -> Iterator[Metric]:
        """The registry's view at scrape time, in the order prometheus_client's own metrics
        give it: series in the order first seen, ``_created`` only if the library emits it."""
        created = prometheus_metrics._use_created  # PROMETHEUS_DISABLE_CREATED_SERIES
        requests = CounterMetricFamily(REQUESTS, REQUESTS_HELP, labels=REQUEST_LABELS)
        for key, counted in self._requests.items():
            since = counted.created if created else None
            requests.add_metric([*key[:3], str(key[3])], float(counted.count), created=since)
        yield requests
        seconds = HistogramMetricFamily(SECONDS, SECONDS_HELP, labels=SECONDS_LABELS)
        for series, latency in self._latency.items():
            seconds.add_metric(series, _cumulative(latency.buckets), latency.total)
            if created:
                labels = dict(zip(SECONDS_LABELS, series, strict=True))
                seconds.samples.append(Sample(f"{SECONDS}_created", labels, latency.created))
        yield seconds


def _cumulative(buckets: list[int]) -> list[tuple[str, float]]:
    running = 0.0
    cumulative = []
    for name, count in zip(BUCKET_NAMES, buckets, strict=True):
        running += count
        cumulative.append((name, running))
    return cumulative
