"""``/metrics``: requests by product, action, error code and HTTP status, and a latency
histogram per action (docs/observability.md).

Label values come from our own registry and error classes, never from the caller's text: a
request for an action that does not exist counts under ``action="-"``, so no caller can grow
the label set. The labelled children are kept in a dict: ``labels()`` checks and locks on
every call.
"""

from __future__ import annotations

from typing import Any

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest

from imageshare.pipeline.trace import Trace

UNROUTED = "-"


class RequestMetrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self._requests = Counter(
            "imageshare_requests",
            "API requests by product, action, error code ('' for success) and HTTP status.",
            ["product", "action", "code", "status"],
            registry=self.registry,
        )
        self._seconds = Histogram(
            "imageshare_request_seconds",
            "Time in the pipeline per request, by product and action.",
            ["product", "action"],
            registry=self.registry,
        )
        self._counters: dict[tuple[str, str, str, int], Any] = {}
        self._histograms: dict[tuple[str, str], Any] = {}

    def observe(self, trace: Trace, seconds: float) -> None:
        product, action = (trace.product, trace.action) if trace.routed else (UNROUTED, UNROUTED)
        key = (product, action, trace.error_code, trace.status)
        counter = self._counters.get(key)
        if counter is None:
            counter = self._counters[key] = self._requests.labels(*key[:3], str(trace.status))
        counter.inc()
        histogram = self._histograms.get(key[:2])
        if histogram is None:
            histogram = self._histograms[key[:2]] = self._seconds.labels(product, action)
        histogram.observe(seconds)

    def render(self) -> bytes:
        return generate_latest(self.registry)
