"""The request log: one line per API call on the ``imageshare.requests`` logger, as text
(``key=value``, one per field) or JSON lines; docs/observability.md.

A line holds who called what and how it ended, never a secret, a signature, a token or a
parameter value: those are in the request, and the request is not logged. The logger's
handlers are set up once per process by ``configure_logging`` (``serve`` and its workers);
as a library, imageshare leaves logging alone.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
from typing import Any, NamedTuple

from imageshare.http.logrecord import InfoRecords
from imageshare.pipeline.trace import Trace, principal_name

REQUEST_LOGGER = "imageshare.requests"
LOG_FORMATS = ("text", "json")
LOG_LEVELS = ("debug", "info", "warning", "error")

log = logging.getLogger(REQUEST_LOGGER)
_records = InfoRecords(log)


class RequestEntry(NamedTuple):
    """One line of the request log; ``str()`` is its text form.

    A named tuple, not a frozen dataclass: the console keeps the last entries, so one must not
    change once made, and a tuple is made for a small part of the instructions (a frozen
    dataclass sets each of its fields through ``object.__setattr__``); it is made on every
    call."""

    request_id: str
    product: str
    version: str
    action: str
    account_id: int | None
    principal_type: str
    principal_name: str
    source_ip: str
    status: int
    error_code: str
    duration_ms: float

    @classmethod
    def of(cls, trace: Trace, source_ip: str, seconds: float) -> RequestEntry:
        principal = trace.principal
        if principal is None:
            account_id, principal_type, name = None, "", ""
        else:
            # _value_ is the member's value as Enum stores it: .value goes through a
            # Python-level descriptor, at four times the cost.
            account_id, principal_type = principal.account_id, principal.type._value_
            name = principal_name(principal)
        # tuple.__new__ as the named tuple's own __new__ calls it, less a Python-level call
        # that binds eleven arguments by name: half the cost of the entry.
        return tuple.__new__(
            cls,
            (
                trace.request_id,
                trace.product,
                trace.version,
                trace.action,
                account_id,
                principal_type,
                name,
                source_ip,
                trace.status,
                trace.error_code,
                round(seconds * 1000, 3),
            ),
        )

    def fields(self) -> dict[str, Any]:
        return self._asdict()

    def __str__(self) -> str:
        # Written field by field (it runs on every call): the request id, account, type,
        # status, error code and duration are the server's own text and cannot break a line;
        # the version and action are the caller's, the name and address may be. One unpacking
        # reads the fields at the cost of two of the eleven attribute lookups.
        (request, product, version, action, account, kind, name, address, status, code, ms) = self
        # The text of a value seen before (nearly all are: a few actions, callers, addresses)
        # is looked up, not checked again; no text is empty, so ``or`` falls to the check.
        seen = _TEXTS.get
        return (
            f"request_id={request} product={product or '-'}"
            f" version={seen(version) or _text_value(version)}"
            f" action={seen(action) or _text_value(action)}"
            f" account_id={'-' if account is None else account} principal_type={kind or '-'}"
            f" principal_name={seen(name) or _text_value(name)}"
            f" source_ip={seen(address) or _text_value(address)} status={status}"
            f" error_code={code or '-'} duration_ms={ms}"
        )


# Printable ASCII but for space, '"', '=' and '\\': safe in a key=value line as it is.
_PLAIN = re.compile(r"[!#-<>-\[\]-~]+")
# Values' texts by value, emptied when full: the version and action are the caller's text,
# so a caller could otherwise fill memory with them.
_TEXTS: dict[str, str] = {}
_TEXTS_HELD = 1024


def _text_value(value: str) -> str:
    """Text that cannot break the line: plain text as is, ``-`` for nothing, anything with a
    space, quote, ``=`` or a control or non-ASCII character JSON-quoted (the claimed action and
    version are the caller's text). Kept in ``_TEXTS`` for the next line."""
    if not value:
        text = "-"
    elif _PLAIN.fullmatch(value):
        text = value
    else:
        text = json.dumps(value)
    if len(_TEXTS) >= _TEXTS_HELD:
        _TEXTS.clear()
    _TEXTS[value] = text
    return text


def log_entry(entry: RequestEntry) -> None:
    if not log.isEnabledFor(logging.INFO):
        return
    handler = _only_line_handler()
    if handler is not None:
        handler.write(entry)
        return
    # Logger.info would also walk the stack for the caller's file and line, which no
    # formatter here prints: a tenth of a line's cost. The record is copied from a
    # template (http/logrecord.py), as log.makeRecord(..., "", 0, entry, ...) would make it.
    log.handle(_records.make(entry))


def _only_line_handler() -> _LineHandler | None:
    """``serve``'s handler, when it is the only one the entry's record would reach, with no
    filter on the way (``Logger.handle`` and ``callHandlers``' walk, in short): it writes the
    line without the record, which no one else could see. A handler or filter put anywhere
    on the way (pytest's caplog, the plugin's, a user's) gets the standard record."""
    parent = log.parent
    if log.disabled or log.filters or log.handlers or not log.propagate or parent is None:
        return None
    handlers = parent.handlers
    if parent.propagate or len(handlers) != 1:
        return None
    handler = handlers[0]
    if type(handler) is not _LineHandler or handler.filters or handler.level > logging.INFO:
        return None
    return handler


class _Seconds:
    """The text of the current second, made once a second rather than once a line."""

    second: int = -1
    text: str = ""


def _timestamp(created: float) -> str:
    second = int(created)
    if second != _Seconds.second:
        _Seconds.text = time.strftime("%Y-%m-%dT%H:%M:%S.", time.gmtime(second))
        _Seconds.second = second
    return f"{_Seconds.text}{int((created - second) * 1000):03d}Z"


class _EntryFormatter(logging.Formatter):
    """A formatter of the request log's lines, which can make an entry's line from the entry,
    its level's name and its time alone (``_LineHandler.write``), as from its record."""

    def line(self, entry: RequestEntry, level: str, created: float) -> str:
        raise NotImplementedError


class TextFormatter(_EntryFormatter):
    """``TIME LEVEL message`` (a request's message is its ``key=value`` fields)."""

    def format(self, record: logging.LogRecord) -> str:
        line = f"{_timestamp(record.created)} {record.levelname} {record.getMessage()}"
        if record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        return line

    def line(self, entry: RequestEntry, level: str, created: float) -> str:
        return f"{_timestamp(created)} {level} {entry}"


class JsonFormatter(_EntryFormatter):
    """One JSON object per line: ``time``, ``level``, then a request's fields, or ``logger``
    and ``message`` (and ``exception``) for anything else."""

    def format(self, record: logging.LogRecord) -> str:
        if isinstance(record.msg, RequestEntry):
            return self.line(record.msg, record.levelname, record.created)
        body: dict[str, Any] = {
            "time": _timestamp(record.created),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            body["exception"] = self.formatException(record.exc_info)
        return json.dumps(body, ensure_ascii=False)

    def line(self, entry: RequestEntry, level: str, created: float) -> str:
        body = {"time": _timestamp(created), "level": level, **entry.fields()}
        return json.dumps(body, ensure_ascii=False)


class _LineHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """A StreamHandler less the work it repeats on every line, about a tenth of a line: the
    filters are consulted only if there are any, and the line is flushed under the lock
    already held (StreamHandler.flush takes it again). Each line is still flushed as written,
    so ``tail -f`` and a failing test's report see it at once."""

    def write(self, entry: RequestEntry) -> None:
        """The line ``emit`` writes for the entry's record, made without the record (about
        a third of a line's instructions) when its formatter is one of ours."""
        formatter = self.formatter
        if not isinstance(formatter, _EntryFormatter):
            self.handle(_records.make(entry))
            return
        line = formatter.line(entry, logging.getLevelName(logging.INFO), time.time())
        with self.lock:  # type: ignore[union-attr]
            try:
                stream = self.stream
                stream.write(line + self.terminator)
                stream.flush()
            except RecursionError:  # as StreamHandler.emit does (bpo-36272)
                raise
            except Exception:
                self.handleError(_records.make(entry))

    def handle(self, record: logging.LogRecord) -> Any:
        if self.filters:  # a filter may veto the record, or (Python 3.12) replace it
            return super().handle(record)
        with self.lock:  # type: ignore[union-attr]
            self.emit(record)
        return True

    def emit(self, record: logging.LogRecord) -> None:
        try:
            stream = self.stream
            stream.write(self.format(record) + self.terminator)
            stream.flush()
        except RecursionError:  # as StreamHandler.emit does (bpo-36272)
            raise
        except Exception:
            self.handleError(record)


def configure_logging(level: str, log_format: str) -> None:
    """Send imageshare's loggers (the request log and its errors) to stderr at ``level``, in
    ``log_format``; idempotent, so a worker may call it again.

    :raises ValueError: an unknown level or format.
    """
    if level.lower() not in LOG_LEVELS or log_format not in LOG_FORMATS:
        raise ValueError(f"log level {level!r} / format {log_format!r}")
    root = logging.getLogger("imageshare")
    for old in [h for h in root.handlers if getattr(h, "imageshare", False)]:
        root.removeHandler(old)
    handler = _LineHandler(sys.stderr)
    handler.imageshare = True  # type: ignore[attr-defined]
    handler.setFormatter(JsonFormatter() if log_format == "json" else TextFormatter())
    root.addHandler(handler)
    root.setLevel(level.upper())
    root.propagate = False
    # No formatter here prints a record's thread or process: not looking them up takes an
    # eighth off every line (this process's records only; serve's workers call this).
    logging.logThreads = logging.logProcesses = logging.logMultiprocessing = False
