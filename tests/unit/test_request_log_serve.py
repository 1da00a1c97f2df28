"""serve's request log (``configure_logging``) writes an entry's line without making its
record when its handler is the only one the record would reach: the line must be the one the
record gives, and any handler or filter put on the way must get the standard record."""

from __future__ import annotations

import io
import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stderr

import pytest
from hypothesis import given
from hypothesis import strategies as st
from support.logs import Records, attached

from imageshare.http import requestlog
from imageshare.http.requestlog import REQUEST_LOGGER, RequestEntry, configure_logging, log_entry

FLAGS = ("logThreads", "logProcesses", "logMultiprocessing")
MOMENT = 1_796_601_600.123456  # 2026-12-06T00:00:00.123Z

texts = st.text(max_size=30)  # the caller's text: the version, action, name and address
entries = st.builds(
    RequestEntry,
    st.uuids().map(str),
    st.sampled_from(["", "swas-open", "ecd", "ecs", "ram", "sts", "actiontrail"]),
    texts,
    texts,
    st.none() | st.integers(min_value=10**15, max_value=2 * 10**15),
    st.sampled_from(["", "Account", "RAMUser", "AssumedRoleUser"]),
    texts,
    texts,
    st.sampled_from([200, 400, 403, 404, 500, 503]),
    st.sampled_from(["", "InvalidImageId.NotFound", "Throttling.User"]),
    st.floats(min_value=0, max_value=1e6, allow_nan=False).map(lambda ms: round(ms, 3)),
)


@contextmanager
def served(log_format: str) -> Iterator[io.StringIO]:
    """The request log as ``serve`` sets it up, writing to a buffer, with nothing else on the
    request logger (the plugin's session server puts its own handler there while it runs);
    logging as it was after."""
    package, requests = logging.getLogger("imageshare"), logging.getLogger(REQUEST_LOGGER)
    saved = package.handlers[:], package.level, package.propagate
    saved_requests = requests.handlers[:], requests.filters[:], requests.level, requests.propagate
    flags = {flag: getattr(logging, flag) for flag in FLAGS}
    requests.handlers[:], requests.filters[:] = [], []
    requests.setLevel(logging.NOTSET)
    requests.propagate = True
    stream = io.StringIO()
    with redirect_stderr(stream):
        configure_logging("info", log_format)
    try:
        yield stream
    finally:
        package.handlers[:], package.level, package.propagate = saved
        handlers, filters, level, requests.propagate = saved_requests
        requests.handlers[:], requests.filters[:] = handlers, filters
        requests.setLevel(level)
        for flag, value in flags.items():
            setattr(logging, flag, value)


@contextmanager
def at(moment: float) -> Iterator[None]:
    """``time.time()`` stopped at ``moment`` (records and direct lines read the same clock)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(time, "time", lambda: moment)
        yield


def line_handler() -> logging.Handler:
    [handler] = logging.getLogger("imageshare").handlers
    return handler


def written(log_format: str, entry: RequestEntry, *, through_record: bool) -> str:
    with served(log_format) as stream, at(MOMENT), pytest.MonkeyPatch.context() as patch:
        if through_record:  # a filter on the way: the record is made and formatted
            line_handler().addFilter(lambda record: True)
        else:  # serve's own way: no record is made
            patch.setattr(requestlog._records, "make", no_record)
        log_entry(entry)
    return stream.getvalue()


def no_record(message: object) -> logging.LogRecord:
    raise AssertionError("serve's handler alone: the line is written without a record")


@pytest.mark.parametrize("log_format", ["text", "json"])
@given(entry=entries)
def test_the_line_is_the_one_the_record_gives(log_format: str, entry: RequestEntry) -> None:
    direct = written(log_format, entry, through_record=False)
    assert direct == written(log_format, entry, through_record=True)
    assert direct.endswith("\n") and direct.count("\n") == 1


def test_a_renamed_level_is_named_so_on_the_direct_line() -> None:
    entry = RequestEntry("R", "ecs", "2014-05-26", "DescribeImages", 1, "Account", "root",
                         "127.0.0.1", 200, "", 0.5)  # fmt: skip
    logging.addLevelName(logging.INFO, "NOTE")
    try:
        line = written("text", entry, through_record=False)
    finally:
        logging.addLevelName(logging.INFO, "INFO")
    assert line.split(" ")[1] == "NOTE"


@pytest.mark.parametrize("where", ["request logger", "package logger"])
def test_a_handler_or_filter_on_the_way_gets_the_standard_record(where: str) -> None:
    entry = RequestEntry("R", "ecs", "2014-05-26", "DescribeImages", 1, "Account", "root",
                         "127.0.0.1", 200, "", 0.5)  # fmt: skip
    seen: list[logging.LogRecord] = []
    with served("text") as stream, at(MOMENT):
        if where == "request logger":
            with attached(Records(), REQUEST_LOGGER) as records:
                log_entry(entry)
            seen = records.records
        else:
            package = logging.getLogger("imageshare")

            def noted(record: logging.LogRecord) -> bool:
                seen.append(record)
                return True

            package.addFilter(noted)
            log_entry(entry)
            package.removeFilter(noted)
    if where == "request logger":
        [record] = seen
        assert record.msg == entry and record.created == MOMENT
    else:
        assert seen == []  # a logger's filters apply to its own records only, as in logging
    assert stream.getvalue().count("\n") == 1  # and serve's line is written once either way
