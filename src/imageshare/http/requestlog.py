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
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
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
        return " ".join(f"{name}={_text_value(value)}" for name, value in self.fields().items())


def _text_value(value: object) -> str:
    """A value that cannot break the line: plain text as is, ``-`` for nothing, anything with a
    space, quote, ``=`` or a control or non-ASCII character JSON-quoted (the claimed action and
    version are the caller's text)."""
    if value is None or value == "":
        return "-"
    text = str(value)
    if text.isascii() and text.isprintable() and not any(c in text for c in ' "=\\'):
        return text
    return json.dumps(text)


def log_entry(entry: RequestEntry) -> None:
    if log.isEnabledFor(logging.INFO):
        log.info(entry)


def _timestamp(record: logging.LogRecord) -> str:
    moment = datetime.fromtimestamp(record.created, UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


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
