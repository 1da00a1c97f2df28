"""`imageshare serve` as real subprocesses: started on free ports, waited for, and stopped by
their own process group, so a test can SIGKILL a server with all its workers and nothing else.

Each server runs in a new session (``start_new_session``): the uvicorn supervisor and the
worker processes it spawns share one process group whose id is the supervisor's pid. Signals
go to that group only, never to anything found by name.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

from support.server import free_port

STARTUP_SECONDS = 40.0
STOP_SECONDS = 15.0


def imageshare_script() -> Path:
    """The venv's console script, next to the interpreter running the tests."""
    return Path(sys.executable).with_name("imageshare")


@dataclass
class ServerProcess:
    """One ``imageshare serve`` process group and where it answers."""

    process: subprocess.Popen[bytes]
    endpoint: str
    log_path: Path

    @property
    def pgid(self) -> int:
        return self.process.pid

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def kill(self) -> None:
        """SIGKILL the supervisor and every worker at once, as a crash would."""
        self._signal_group(signal.SIGKILL)
        self.process.wait(timeout=STOP_SECONDS)
        _wait_until_group_gone(self.pgid)

    def stop(self) -> None:
        """SIGTERM the group (uvicorn's graceful shutdown); SIGKILL whatever outlives it."""
        if self.process.poll() is None:
            self._signal_group(signal.SIGTERM)
            try:
                self.process.wait(timeout=STOP_SECONDS)
            except subprocess.TimeoutExpired:
                self._signal_group(signal.SIGKILL)
                self.process.wait(timeout=STOP_SECONDS)
        if not _wait_until_group_gone(self.pgid):
            self._signal_group(signal.SIGKILL)  # a worker that ignored SIGTERM
            _wait_until_group_gone(self.pgid)

    def _signal_group(self, sig: signal.Signals) -> None:
        with suppress(ProcessLookupError):
            os.killpg(self.pgid, sig)


def _live_members(pgid: int) -> list[int]:
    """Pids in the group that are not zombies (a zombie holds no locks or connections)."""
    members = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # the process ended while we looked
        state, group = fields[0], int(fields[2])
        if group == pgid and state != "Z":
            members.append(int(stat.parent.name))
    return members


def _wait_until_group_gone(pgid: int) -> bool:
    deadline = time.monotonic() + STOP_SECONDS
    while _live_members(pgid):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def _answers(endpoint: str) -> bool:
    """True once a worker answers HTTP at all: an unsigned call is a clean JSON error."""
    try:
        with urllib.request.urlopen(f"http://{endpoint}/", timeout=2):
            return True
    except urllib.error.HTTPError:
        return True
    except OSError:
        return False


def _wait_until_ready(server: ServerProcess) -> None:
    """:raises RuntimeError: the server exited or did not answer in time (with its log)."""
    deadline = time.monotonic() + STARTUP_SECONDS
    while not _answers(server.endpoint):
        if server.process.poll() is not None or time.monotonic() > deadline:
            server.stop()
            raise RuntimeError(f"imageshare serve did not start:\n{server.log()}")
        time.sleep(0.1)


def _server_env(extra: Mapping[str, str]) -> dict[str, str]:
    # The server is configured by its flags and ``extra`` only, never by the test's own env.
    env = {k: v for k, v in os.environ.items() if not k.startswith("IMAGESHARE_")}
    return {**env, **extra}


def launch(
    database_url: str,
    log_dir: Path,
    *,
    workers: int = 2,
    env: Mapping[str, str] | None = None,
    run_as: Sequence[str] = (),
) -> ServerProcess:
    """Start ``imageshare serve`` without waiting for it; see :func:`start`. ``run_as``: a
    command that runs the server as another user (``setpriv --reuid=…``)."""
    port = free_port()
    command = [
        *run_as,
        str(imageshare_script()),
        "serve",
        "--workers",
        str(workers),
        "--port",
        str(port),
        "--database",
        database_url,
    ]
    log_path = log_dir / f"serve-{port}.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command,
            cwd=log_dir,
            env=_server_env(env or {}),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    return ServerProcess(process, f"127.0.0.1:{port}", log_path)


def start(
    database_url: str,
    log_dir: Path,
    *,
    workers: int = 2,
    env: Mapping[str, str] | None = None,
    run_as: Sequence[str] = (),
) -> ServerProcess:
    """A server answering on a free port of 127.0.0.1.

    :raises RuntimeError: it did not come up; the message holds its log.
    """
    server = launch(database_url, log_dir, workers=workers, env=env, run_as=run_as)
    _wait_until_ready(server)
    return server


@contextmanager
def running(
    database_url: str,
    log_dir: Path,
    *,
    count: int,
    workers: int = 2,
    env: Mapping[str, str] | None = None,
) -> Iterator[list[ServerProcess]]:
    """``count`` servers on one database, started side by side; all stopped afterwards."""
    with ExitStack() as stack:
        servers = []
        for _ in range(count):
            server = launch(database_url, log_dir, workers=workers, env=env)
            stack.callback(server.stop)
            servers.append(server)
        for server in servers:
            _wait_until_ready(server)
        yield servers
