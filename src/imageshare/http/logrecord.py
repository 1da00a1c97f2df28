"""The request log's records, made by copying a prepared ``LogRecord`` rather than by
``LogRecord.__init__``: the same attributes, with the same values, for about half the instructions.

``LogRecord.__init__`` works out, on every record, what is the same on every record of the
request log (the file and module of an empty path, the level's name, the arguments): a
template holds those, and each record copies it and sets what changes (the message, the time,
and the thread and process when ``logging`` is told to record them). The record is a plain
``logging.LogRecord``, so handlers, filters and formatters (pytest's caplog, a user's
``%(filename)s:%(lineno)d %(thread)d``) see what ``Logger.makeRecord`` would have given them.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import threading
import time
from typing import Any

# What LogRecord.__init__ sets on Python 3.11 and 3.12 (3.12 adds taskName); 3.13 takes the
# time from time.time_ns(), in another arithmetic, so it makes its records the standard way.
_SET_BY_INIT = frozenset({
    "name", "msg", "args", "levelname", "levelno", "pathname", "filename", "module",
    "exc_info", "exc_text", "stack_info", "lineno", "funcName", "created", "msecs",
    "relativeCreated", "thread", "threadName", "processName", "process",
})  # fmt: skip
_TASK_NAME = "taskName"
_CONTEXT = frozenset({"thread", "threadName", "processName", "process", _TASK_NAME})
_COPYABLE_PYTHON = sys.version_info < (3, 13)
# Where relativeCreated counts from (logging's import); logging has no public name for it.
_LOGGING_STARTED: float = getattr(logging, "_startTime", 0.0)


class InfoRecords:
    """Makes ``logger.makeRecord(logger.name, logging.INFO, "", 0, message, (), None)``."""

    def __init__(self, logger: logging.Logger) -> None:
        self.logger = logger
        standard = logging.LogRecord(logger.name, logging.INFO, "", 0, "", (), None)
        # The thread, process and task are left out (None, as when logging does not record
        # them): each record sets them if logging records them then.
        self.template: dict[str, Any] = dict(vars(standard))
        for key in _CONTEXT & set(self.template):
            self.template[key] = None
        self.copyable = (
            _COPYABLE_PYTHON
            and set(self.template) - {_TASK_NAME} == _SET_BY_INIT
            # A Logger subclass may make its records its own way.
            and type(logger).makeRecord is logging.Logger.makeRecord
        )

    def make(self, message: Any) -> logging.LogRecord:
        # A record factory may be installed at any time (to add attributes): it is obeyed.
        if not self.copyable or logging.getLogRecordFactory() is not logging.LogRecord:
            name = self.logger.name
            return self.logger.makeRecord(name, logging.INFO, "", 0, message, (), None)
        record: logging.LogRecord = logging.LogRecord.__new__(logging.LogRecord)
        fields = record.__dict__
        fields.update(self.template)
        created = time.time()
        fields["msg"] = message
        # logging.addLevelName may rename a level at any time.
        fields["levelname"] = logging.getLevelName(logging.INFO)
        fields["created"] = created
        # LogRecord.__init__'s int((created - int(created)) * 1000) + 0.0 (gh-89047), the same
        # float for any time after 1970 (% and // are exact there), less two int() calls.
        fields["msecs"] = created % 1.0 * 1000 // 1.0
        fields["relativeCreated"] = (created - _LOGGING_STARTED) * 1000
        if logging.logThreads or logging.logProcesses or logging.logMultiprocessing:
            _add_thread_and_process(fields)
        if _TASK_NAME in fields and getattr(logging, "logAsyncioTasks", False):
            _add_task_name(fields)
        return record


def _add_thread_and_process(fields: dict[str, Any]) -> None:
    """The thread and process, as LogRecord.__init__ sets them when logging records them (the
    template holds None for each)."""
    if logging.logThreads:
        fields["thread"] = threading.get_ident()
        fields["threadName"] = threading.current_thread().name
    if logging.logMultiprocessing:
        fields["processName"] = "MainProcess"
        multiprocessing = sys.modules.get("multiprocessing")
        if multiprocessing is not None:
            # As logging does: multiprocessing may be still loading (bpo-8200).
            with contextlib.suppress(Exception):
                fields["processName"] = multiprocessing.current_process().name
    if logging.logProcesses:
        fields["process"] = os.getpid()


def _add_task_name(fields: dict[str, Any]) -> None:
    """Python 3.12's taskName: the current asyncio task's name (the template holds None)."""
    asyncio = sys.modules.get("asyncio")
    if asyncio is not None:
        with contextlib.suppress(Exception):  # no loop, or no task: as logging does
            fields[_TASK_NAME] = asyncio.current_task().get_name()
