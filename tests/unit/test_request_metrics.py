"""``RequestMetrics`` counts in plain Python state and renders it at scrape time: whatever the
calls, ``/metrics`` reads exactly as prometheus_client's own ``Counter`` and ``Histogram`` would
render the same observations (``_created`` timestamps aside, which differ by construction)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import cast

from hypothesis import example, given
from hypothesis import strategies as st
from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest

from imageshare.errors import ServiceError
from imageshare.http.metrics import RequestMetrics
from imageshare.pipeline.trace import Trace


@dataclass(frozen=True)
class FakeError:
    """All the metrics read of a ``ServiceError``: its wire code."""

    code: str


def trace(product: str, action: str, routed: bool, code: str, status: int) -> Trace:
    error = cast(ServiceError, FakeError(code)) if code else None
    return Trace(product=product, action=action, routed=routed, error=error, status=status)


@dataclass(frozen=True)
class Call:
    trace: Trace
    labels: tuple[str, str, str, str]  # what the series is labelled: product, action, code, status


CALLS = [
    Call(
        trace("swas-open", "ListRegions", True, "", 200),
        ("swas-open", "ListRegions", "", "200"),
    ),
    Call(
        trace("ecd", "DescribeImagePermission", True, "InvalidImageId.NotFound", 404),
        ("ecd", "DescribeImagePermission", "InvalidImageId.NotFound", "404"),
    ),
    Call(trace("ecs", "DescribeImages", True, "", 200), ("ecs", "DescribeImages", "", "200")),
    Call(
        trace("ecs", "DescribeImages", True, "Throttling.User", 400),
        ("ecs", "DescribeImages", "Throttling.User", "400"),
    ),
    # Not a registered action: the caller's names never become labels.
    Call(
        trace("ecs", "NoSuchAction", False, "InvalidAction.NotFound", 404),
        ("-", "-", "InvalidAction.NotFound", "404"),
    ),
    Call(trace("", "", False, "MissingParameter", 400), ("-", "-", "MissingParameter", "400")),
]
BOUNDS = [float(bound) for bound in Histogram.DEFAULT_BUCKETS[:-1]]
SECONDS = st.one_of(
    st.sampled_from(BOUNDS),  # exactly on a bound: counted in that bucket, not the next
    st.floats(min_value=0.0, max_value=20.0),  # also above the last bound (10 s): +Inf only
    st.sampled_from([0.0, 1e-9, 10.000001, 3600.0]),
)
CREATED = re.compile(r"^(\S+_created\{[^}]*\}) \S+$", re.MULTILINE)


def rendered(calls: list[tuple[Call, float]]) -> str:
    metrics = RequestMetrics()
    for call, seconds in calls:
        metrics.observe(call.trace, seconds)
    return metrics.render().decode()


def reference(calls: list[tuple[Call, float]]) -> str:
    """The same observations through prometheus_client's own metrics, as before."""
    registry = CollectorRegistry()
    requests = Counter(
        "imageshare_requests",
        "API requests by product, action, error code ('' for success) and HTTP status.",
        ["product", "action", "code", "status"],
        registry=registry,
    )
    latency = Histogram(
        "imageshare_request_seconds",
        "Time in the pipeline per request, by product and action.",
        ["product", "action"],
        registry=registry,
    )
    for call, seconds in calls:
        requests.labels(*call.labels).inc()
        latency.labels(*call.labels[:2]).observe(seconds)
    return generate_latest(registry).decode()


def without_created_times(text: str) -> str:
    return CREATED.sub(r"\1 <time>", text)


def test_nothing_observed_renders_the_two_families_without_samples() -> None:
    assert rendered([]) == reference([])


@given(st.lists(st.tuples(st.sampled_from(CALLS), SECONDS), max_size=30))
@example([(CALLS[0], 0.005), (CALLS[0], 0.0050001), (CALLS[0], 10.0), (CALLS[0], 10.5)])
@example([(call, 0.1 * index) for index, call in enumerate(CALLS)] + [(CALLS[2], 0.25)])
def test_exposition_equals_prometheus_clients_own(calls: list[tuple[Call, float]]) -> None:
    ours = rendered(calls)
    assert without_created_times(ours) == without_created_times(reference(calls))
    assert ours.count("_created{") == len({c.labels for c, _ in calls}) + len(
        {c.labels[:2] for c, _ in calls}
    )


def test_a_value_on_a_bound_counts_in_that_bucket_and_one_above_the_last_in_inf_only() -> None:
    text = rendered([(CALLS[0], 0.005), (CALLS[0], 11.0)])
    series = 'action="ListRegions",le="{}",product="swas-open"'
    assert f"imageshare_request_seconds_bucket{{{series.format('0.005')}}} 1.0" in text
    assert f"imageshare_request_seconds_bucket{{{series.format('10.0')}}} 1.0" in text
    assert f"imageshare_request_seconds_bucket{{{series.format('+Inf')}}} 2.0" in text
