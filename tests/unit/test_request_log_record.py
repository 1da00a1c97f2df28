"""The request log's records are copied from a template (http/logrecord.py), not made by
LogRecord.__init__: they must be the records Logger.makeRecord would make, attribute for
attribute, so that any handler or formatter (pytest's caplog, a user's own) reads them."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from support.logs import Records, attached

from imageshare.http.requestlog import REQUEST_LOGGER, RequestEntry, log_entry

FLAGS = ("logThreads", "logProcesses", "logMultiprocessing")
# Every attribute of a LogRecord a format string may name but its times (asctime and message
# are the Formatter's own); the thread and process as text: they are None when not recorded.
EVERY_ATTRIBUTE = (
    "%(name)s %(levelname)s %(levelno)s %(pathname)s %(filename)s %(module)s %(lineno)d"
    " %(funcName)s %(process)s %(processName)s %(thread)s %(threadName)s %(message)s"
)
EVERY_TIME = "%(asctime)s %(created)f %(msecs)03d %(relativeCreated)d "
TIMES = ("created", "msecs", "relativeCreated")


@pytest.fixture(params=[True, False], ids=["context", "no-context"])
def recording(request: pytest.FixtureRequest) -> Iterator[Records]:
    """The request logger's records, with logging recording threads and processes or not
    (configure_logging turns that off for serve's workers; a library user's logging may not)."""
    saved = {flag: getattr(logging, flag) for flag in FLAGS}
    for flag in FLAGS:
        setattr(logging, flag, request.param)
    try:
        with attached(Records(), REQUEST_LOGGER) as handler:
            yield handler
    finally:
        for flag, value in saved.items():
            setattr(logging, flag, value)


def entry() -> RequestEntry:
    return RequestEntry("R", "swas-open", "2020-06-01", "ListRegions", 1, "Account", "root",
                        "127.0.0.1", 200, "", 0.5)  # fmt: skip


def standard(message: object) -> logging.LogRecord:
    """The record as the request log made it before, and as Logger.makeRecord makes it."""
    logger = logging.getLogger(REQUEST_LOGGER)
    return logger.makeRecord(REQUEST_LOGGER, logging.INFO, "", 0, message, (), None)


def logged(recording: Records) -> logging.LogRecord:
    log_entry(entry())
    [record] = recording.records
    return record


def test_a_record_is_a_standard_one_attribute_for_attribute(recording: Records) -> None:
    record = logged(recording)
    expected = standard(record.msg)
    assert type(record) is logging.LogRecord
    # A Formatter adds message (and asctime) to a record it formats: pytest's handlers have.
    made = [name for name in vars(record) if name not in ("message", "asctime")]
    assert made == list(vars(expected))
    for name, value in vars(expected).items():
        if name not in TIMES:
            assert getattr(record, name) == value, name
    assert record.msecs == int((record.created - int(record.created)) * 1000) + 0.0
    started: float = logging._startTime  # type: ignore[attr-defined]
    assert record.relativeCreated == (record.created - started) * 1000


def test_a_record_is_one_every_format_string_formats(recording: Records) -> None:
    record = logged(recording)
    every = logging.Formatter(EVERY_ATTRIBUTE)
    assert every.format(record) == every.format(standard(record.msg))
    assert logging.Formatter(EVERY_TIME + EVERY_ATTRIBUTE).format(record).endswith(str(entry()))
    brace = "{asctime} {name} {levelname} {filename}:{lineno} {funcName} {thread} {message}"
    assert logging.Formatter(brace, style="{").format(record).endswith(str(entry()))
    if logging.logThreads:
        numbers = logging.Formatter("%(thread)d %(process)d %(message)s")
        assert numbers.format(record) == numbers.format(standard(record.msg))


def test_a_record_factory_makes_the_records_when_there_is_one(recording: Records) -> None:
    def factory(*args: object, **kwargs: object) -> logging.LogRecord:
        record = standard_factory(*args, **kwargs)
        record.tenant = "mine"
        return record

    standard_factory = logging.getLogRecordFactory()
    logging.setLogRecordFactory(factory)
    try:
        record = logged(recording)
    finally:
        logging.setLogRecordFactory(standard_factory)
    assert getattr(record, "tenant", None) == "mine"


def test_a_renamed_level_is_named_so(recording: Records) -> None:
    logging.addLevelName(logging.INFO, "NOTE")
    try:
        record = logged(recording)
    finally:
        logging.addLevelName(logging.INFO, "INFO")
    assert record.levelname == "NOTE"
