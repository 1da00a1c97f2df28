"""The imageshare pytest plugin: an in-process server per test session, a clean state per test.

Fixtures (docs/testing.md):

* ``imageshare_server`` (session): a ``RunningServer`` - endpoint, store, admin token, and
  ``reset``/``export``/``snapshot``/``restore`` - started once (migrate and serve take about
  0.1 s once the modules are imported; figures in docs/testing.md).
* ``imageshare`` (function): a ``World`` on a freshly reset state (a millisecond or two).
* ``imageshare_mock`` (function): the test runs inside ``mock_alibabacloud()`` on the session
  server: every official SDK client the code under test builds is served by imageshare; yields
  the block's ``MockedCloud`` (a ``World`` with a ``default`` account, whose key is in the
  environment).

A failed test's report gets a section "imageshare requests": the server's request-log lines
written while it ran (docs/observability.md).

Options: ``--imageshare-database URL`` or the ``imageshare_database`` ini value (default: a
SQLite file in the session's temporary directory). The database is emptied before each test.
``--imageshare-throttle RATES`` / ``imageshare_throttle``: throttling as ``serve --throttle``.
``--imageshare-operation-seconds OPERATION=SECONDS`` (repeatable) or the
``imageshare_operation_seconds`` ini value: how long CopyImage and the other operations that
take time run on the server's clock (0 by default: ready at once).

Importing this module must stay cheap: pytest loads it in every run of every project that has
imageshare installed. The server, the store and the SDKs are imported inside the fixtures.
"""

from __future__ import annotations

import logging
import secrets
from collections import deque
from collections.abc import Generator, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from imageshare.testing.mock import MockedCloud
    from imageshare.testing.server import RunningServer
    from imageshare.testing.world import World

DATABASE_HELP = (
    "database the imageshare fixtures serve and empty before every test "
    "(SQLAlchemy URL; default: a SQLite file in the session's temporary directory)"
)
DURATION_HELP = (
    "how long an operation that takes time runs on the server's clock, as OPERATION=SECONDS "
    "(ecs:CreateImage, ecs:CopyImage, swas-open:CreateCustomImage, ecd:CreateImage, "
    "ecd:CopyImage); default 0 for each: ready at once"
)


# A test that makes thousands of calls keeps its last ones: enough to explain a failure.
MAX_LINES_PER_TEST = 2000
REPORT_SECTION = "imageshare requests"


class RequestLines(logging.Handler):
    """The request-log lines of the running test, formatted as ``serve`` writes them."""

    def __init__(self) -> None:
        super().__init__()
        self.lines: deque[str] = deque(maxlen=MAX_LINES_PER_TEST)

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


_lines = RequestLines()


def pytest_runtest_setup(item: pytest.Item) -> None:
    _lines.lines.clear()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    if report.failed and _lines.lines:
        report.sections.append((REPORT_SECTION, "\n".join(_lines.lines)))
    return report


@contextmanager
def capture_request_log() -> Iterator[RequestLines]:
    """Route the request log (at info) to ``_lines`` alone while the session's server runs:
    not to pytest's own log capture, which would show each line twice."""
    from imageshare.http.requestlog import REQUEST_LOGGER, TextFormatter

    logger = logging.getLogger(REQUEST_LOGGER)
    saved = logger.level, logger.propagate
    _lines.setFormatter(TextFormatter())
    logger.addHandler(_lines)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    try:
        yield _lines
    finally:
        logger.removeHandler(_lines)
        logger.level, logger.propagate = saved


THROTTLE_HELP = (
    "throttle the session's server as `serve --throttle` does: documented, "
    "product:Action=N[/min], comma-separated (default: off)"
)


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("imageshare", "imageshare (Alibaba Cloud image-sharing emulator)")
    group.addoption("--imageshare-database", metavar="URL", default=None, help=DATABASE_HELP)
    parser.addini("imageshare_database", DATABASE_HELP, default="")
    group.addoption("--imageshare-throttle", metavar="RATES", default=None, help=THROTTLE_HELP)
    parser.addini("imageshare_throttle", THROTTLE_HELP, default="")
    group.addoption(
        "--imageshare-operation-seconds",
        metavar="OPERATION=SECONDS",
        action="append",
        default=[],
        help=DURATION_HELP,
    )
    parser.addini("imageshare_operation_seconds", DURATION_HELP, type="args", default=[])


def operation_seconds(config: pytest.Config) -> dict[str, Any]:
    """The duration settings the ini value and then the command line ask for, by setting name.

    :raises pytest.UsageError: not OPERATION=SECONDS, an unknown operation, a bad number.
    """
    from imageshare.config import duration_setting
    from imageshare.domain.operations import Operation

    chosen = [*config.getini("imageshare_operation_seconds")]
    chosen += config.getoption("imageshare_operation_seconds") or []
    settings: dict[str, Any] = {}
    known = ", ".join(Operation)
    for item in chosen:
        name, _, seconds = str(item).partition("=")
        if name not in set(Operation):
            raise pytest.UsageError(f"imageshare: no operation {name!r} takes time: {known}")
        try:
            settings[duration_setting(Operation(name))] = float(seconds)
        except ValueError:
            raise pytest.UsageError(f"imageshare: {item!r} is not OPERATION=SECONDS") from None
    return settings


def database_url(config: pytest.Config, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The command-line option, else the ini value, else a new SQLite file."""
    chosen = config.getoption("imageshare_database") or config.getini("imageshare_database")
    if chosen:
        return str(chosen)
    return f"sqlite:///{tmp_path_factory.mktemp('imageshare') / 'imageshare.db'}"


@pytest.fixture(scope="session")
def imageshare_server(
    pytestconfig: pytest.Config, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningServer]:
    """imageshare serving on a free 127.0.0.1 port for the whole session."""
    from imageshare.testing.server import serve_in_thread

    url = database_url(pytestconfig, tmp_path_factory)
    token = secrets.token_urlsafe(24)
    throttle = pytestconfig.getoption("imageshare_throttle") or pytestconfig.getini(
        "imageshare_throttle"
    )
    durations = operation_seconds(pytestconfig)
    with (
        capture_request_log(),
        serve_in_thread(url, admin_token=token, throttle=str(throttle), **durations) as server,
    ):
        yield server


@pytest.fixture
def imageshare(imageshare_server: RunningServer) -> World:
    """A world builder on an empty state: accounts, resources, official-SDK clients."""
    from imageshare.testing.world import World

    # Reset before the test, not after, so a failed test's state is there to inspect.
    imageshare_server.reset()
    return World(imageshare_server.endpoint, imageshare_server.store)


@pytest.fixture
def imageshare_mock(imageshare_server: RunningServer) -> Iterator[MockedCloud]:
    """The test inside ``mock_alibabacloud()``, served by the session's server."""
    from imageshare.testing.mock import mock_alibabacloud

    with mock_alibabacloud(imageshare_server) as cloud:
        yield cloud
