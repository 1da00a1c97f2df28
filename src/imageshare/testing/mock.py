"""``mock_alibabacloud()``: the official SDKs talk to an in-process imageshare, unchanged.

    from imageshare.testing import mock_alibabacloud

    @mock_alibabacloud()
    def test_lists_images() -> None:
        my_code_that_builds_its_own_ecs_client()   # real host names, https, env credentials

    def test_shares() -> None:
        with mock_alibabacloud() as cloud:          # a World on a clean state
            bob = cloud.account()
            ...

Inside the block every tea-SDK client and every old-SDK ``AcsClient`` is served by imageshare
(imageshare.testing.intercept), the state is empty but for one default account whose root key
is in ``ALIBABA_CLOUD_ACCESS_KEY_ID`` / ``..._SECRET`` (and ``ALIBABA_CLOUD_REGION_ID``), so
the default credentials chain finds it. On exit the transports, the environment and what
``alibabacloud_credentials`` cached from it are put back. The server starts once per process.
"""

from __future__ import annotations

import atexit
import functools
import inspect
import os
import sys
import tempfile
import threading
from collections.abc import Callable
from contextlib import ExitStack
from types import TracebackType
from typing import Any, TypeVar

from imageshare.testing.intercept import Interception
from imageshare.testing.server import RunningServer, serve_in_thread
from imageshare.testing.world import DEFAULT_REGION, AccountKeys, World

F = TypeVar("F", bound=Callable[..., Any])

# Variable -> what alibabacloud_credentials.utils.auth_util cached it as at import (None: nothing).
_CREDENTIAL_VARIABLES = {
    "ALIBABA_CLOUD_ACCESS_KEY_ID": "environment_access_key_id",
    "ALIBABA_CLOUD_ACCESS_KEY_SECRET": "environment_access_key_secret",
    "ALIBABA_CLOUD_SECURITY_TOKEN": "environment_security_token",
    "ALIBABA_CLOUD_REGION_ID": None,
    # The old SDK's signer falls back to these when an AcsClient is given no key.
    "ALIYUN_ACCESS_KEY_ID": None,
    "ALIYUN_ACCESS_KEY_SECRET": None,
}
_AUTH_UTIL = "alibabacloud_credentials.utils.auth_util"

_lock = threading.Lock()
_process_server: RunningServer | None = None


def process_server() -> RunningServer:
    """The in-process imageshare the mock uses when given none: started on first use (on a
    SQLite file in a temporary directory), stopped when the process exits."""
    global _process_server
    with _lock:
        if _process_server is None:
            stack = ExitStack()
            directory = stack.enter_context(tempfile.TemporaryDirectory(prefix="imageshare-"))
            url = f"sqlite:///{directory}/imageshare.db"
            _process_server = stack.enter_context(serve_in_thread(url))
            atexit.register(stack.close)
        return _process_server


class MockedCloud(World):
    """The World of a ``mock_alibabacloud`` block; ``default`` is the account whose key the
    environment holds."""

    def __init__(self, server: RunningServer, region: str) -> None:
        super().__init__(server.endpoint, server.store, region)
        self.server = server
        self.default: AccountKeys = self.account()


class mock_alibabacloud:  # lower case: named and used like moto's mock_aws
    """A context manager and decorator (sync or async functions) that serves every official
    Alibaba Cloud SDK client from an in-process imageshare (see the module docstring).

    Args:
        server: serve from this server (the pytest plugin passes its session server);
            by default the process-wide one, started on first use.
        region: what ``ALIBABA_CLOUD_REGION_ID`` says inside the block.
    """

    def __init__(self, server: RunningServer | None = None, region: str = DEFAULT_REGION) -> None:
        self._server = server
        self._region = region
        self._interception: Interception | None = None
        self._saved_environment: dict[str, str | None] = {}

    def __enter__(self) -> MockedCloud:
        if self._interception is not None:
            raise RuntimeError("this mock_alibabacloud() block is already active")
        server = self._server or process_server()
        server.reset()
        cloud = MockedCloud(server, self._region)
        self._saved_environment = {name: os.environ.get(name) for name in _CREDENTIAL_VARIABLES}
        _apply_environment(
            {
                "ALIBABA_CLOUD_ACCESS_KEY_ID": cloud.default.key_id,
                "ALIBABA_CLOUD_ACCESS_KEY_SECRET": cloud.default.secret,
                "ALIBABA_CLOUD_SECURITY_TOKEN": None,
                "ALIBABA_CLOUD_REGION_ID": self._region,
                "ALIYUN_ACCESS_KEY_ID": cloud.default.key_id,
                "ALIYUN_ACCESS_KEY_SECRET": cloud.default.secret,
            }
        )
        self._interception = Interception(server.port)
        self._interception.install()
        return cloud

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._interception is not None:
            self._interception.remove()
            self._interception = None
        _apply_environment(self._saved_environment)

    def __call__(self, function: F) -> F:
        """Decorate a test (sync or ``async def``): each call runs inside a fresh block."""
        if inspect.iscoroutinefunction(function):

            @functools.wraps(function)
            async def run_async(*args: Any, **kwargs: Any) -> Any:
                with mock_alibabacloud(self._server, self._region):
                    return await function(*args, **kwargs)

            return run_async  # type: ignore[return-value]

        @functools.wraps(function)
        def run(*args: Any, **kwargs: Any) -> Any:
            with mock_alibabacloud(self._server, self._region):
                return function(*args, **kwargs)

        return run  # type: ignore[return-value]


def _apply_environment(values: dict[str, str | None]) -> None:
    """Set (or, for None, remove) each variable, and what the credentials library cached of it
    at import: it reads its variables once, so changing os.environ alone would not reach it."""
    for name, value in values.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
    auth_util = sys.modules.get(_AUTH_UTIL)
    if auth_util is None:
        return
    for name, value in values.items():
        cached = _CREDENTIAL_VARIABLES.get(name)
        if cached is not None:
            setattr(auth_util, cached, value)
