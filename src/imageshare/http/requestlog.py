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
from dataclasses import dataclass
from typing import Any

from imageshare.pipeline.trace import Trace, principal_name

REQUEST_LOGGER = "imageshare.requests"
LOG_FORMATS = ("text", "json")
LOG_LEVELS = ("debug", "info", "warning", "error")

log = logging.getLogger(REQUEST_LOGGER)


@dataclass(frozen=True, slots=True)
class RequestEntry:
    """One line of the request log; ``str()`` is its text form."""

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
        return cls(
            trace.request_id,
            trace.product,
            trace.version,
            trace.action,
            principal.account_id if principal else None,
            principal.type.value if principal else "",
            principal_name(principal) if principal else "",
            source_ip,
            trace.status,
            trace.error_code,
            round(seconds * 1000, 3),
        )

    def fields(self) -> dict[str, Any]:
        return {
            "request_id": self.request_id,
            "product": self.product,
            "version": self.version,
            "action": self.action,
            "account_id": self.account_id,
            "principal_type": self.principal_type,
            "principal_name": self.principal_name,
            "source_ip": self.source_ip,
            "status": self.status,
            "error_code": self.error_code,
            "duration_ms": self.duration_ms,
        }

    def __str__(self) -> str:
        # Written field by field (it runs on every call): the request id, account, type,
        # status, error code and duration are the server's own text and cannot break a line;
        # the version and action are the caller's, the name and address may be.
        return (
            f"request_id={self.request_id} product={self.product or '-'}"
            f" version={_text_value(self.version)} action={_text_value(self.action)}"
            f" account_id={'-' if self.account_id is None else self.account_id}"
            f" principal_type={self.principal_type or '-'}"
            f" principal_name={_text_value(self.principal_name)}"
            f" source_ip={_text_value(self.source_ip)} status={self.status}"
            f" error_code={self.error_code or '-'} duration_ms={self.duration_ms}"
        )


# Printable ASCII but for space, '"', '=' and '\\': safe in a key=value line as it is.
_PLAIN = re.compile(r"[!#-<>-\[\]-~]+")


def _text_value(value: str) -> str:
    """Text that cannot break the line: plain text as is, ``-`` for nothing, anything with a
    space, quote, ``=`` or a control or non-ASCII character JSON-quoted (the claimed action and
    version are the caller's text)."""
    if not value:
        return "-"
    if _PLAIN.fullmatch(value):
        return value
    return json.dumps(value)


def log_entry(entry: RequestEntry) -> None:
    if log.isEnabledFor(logging.INFO):
        # Logger.info would also walk the stack for the caller's file and line, which no
        # formatter here prints: a tenth of a line's cost.
        log.handle(log.makeRecord(REQUEST_LOGGER, logging.INFO, "", 0, entry, (), None))


class _Seconds:
    """The text of the current second, made once a second rather than once a line."""

    second: int = -1
    text: str = ""


def _timestamp(record: logging.LogRecord) -> str:
    created = record.created
    second = int(created)
    if second != _Seconds.second:
        _Seconds.text = time.strftime("%Y-%m-%dT%H:%M:%S.", time.gmtime(second))
        _Seconds.second = second
    return f"{_Seconds.text}{int((created - second) * 1000):03d}Z"


class TextFormatter(logging.Formatter):
    """``TIME LEVEL message`` (a request's message is its ``key=value`` fields)."""

    def format(self, record: logging.LogRecord) -> str:
        line = f"{_timestamp(record)} {record.levelname} {record.getMessage()}"
        if record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        return line


class JsonFormatter(logging.Formatter):
    """One JSON object per line: ``time``, ``level``, then a request's fields, or ``logger``
    and ``message`` (and ``exception``) for anything else."""

    def format(self, record: logging.LogRecord) -> str:
        body: dict[str, Any] = {"time": _timestamp(record), "level": record.levelname}
        if isinstance(record.msg, RequestEntry):
            body.update(record.msg.fields())
        else:
            body["logger"] = record.name
            body["message"] = record.getMessage()
            if record.exc_info:
                body["exception"] = self.formatException(record.exc_info)
        return json.dumps(body, ensure_ascii=False)


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
    handler = logging.StreamHandler(sys.stderr)
    handler.imageshare = True  # type: ignore[attr-defined]
    handler.setFormatter(JsonFormatter() if log_format == "json" else TextFormatter())
    root.addHandler(handler)
    root.setLevel(level.upper())
    root.propagate = False
    # No formatter here prints a record's thread or process: not looking them up takes an
    # eighth off every line (this process's records only; serve's workers call this).
    logging.logThreads = logging.logProcesses = logging.logMultiprocessing = False
