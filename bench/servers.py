"""Servers under test, each a subprocess tree in its own session on a free 127.0.0.1 port.

Stacks: ``uvicorn`` (uvloop + httptools, what ``imageshare serve`` runs) and ``granian``
(ASGI, uvloop), each serving imageshare or the bare ASGI app; and moto's own server. Every
process started here is stopped through its own process group, never by name.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
STACKS = ("uvicorn", "granian")
HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass(frozen=True)
class Running:
    pid: int
    port: int

    @property
    def host_header(self) -> str:
        return f"{HOST}:{self.port}"


def imageshare_command(
    stack: str, workers: int, port: int, database_url: str, older: bool = False
) -> list[str]:
    """``older``: another revision's code, on this checkout's schema (bench/serve_older.py).

    :raises ValueError: unknown stack.
    """
    if stack == "uvicorn":
        serve = (
            [sys.executable, str(BENCH_DIR / "serve_older.py")]
            if older
            else [str(BIN / "imageshare")]
        )
        return [
            *serve,
            "serve",
            f"--workers={workers}",
            f"--port={port}",
            f"--database={database_url}",
        ]
    if stack == "granian":
        # Same factory uvicorn workers use; the schema must be migrated beforehand.
        return [*_granian(workers, port), "--factory", "imageshare.app:create_app_from_env"]
    raise ValueError(f"unknown stack {stack!r}: use one of {', '.join(STACKS)}")


def bare_command(stack: str, workers: int, port: int) -> list[str]:
    """:raises ValueError: unknown stack."""
    if stack == "uvicorn":
        return [
            str(BIN / "uvicorn"),
            "bare_asgi:app",
            f"--workers={workers}",
            f"--port={port}",
            f"--host={HOST}",
            "--loop=uvloop",
            "--http=httptools",
            "--no-access-log",
            "--log-level=warning",
        ]
    if stack == "granian":
        return [*_granian(workers, port), "bare_asgi:app"]
    raise ValueError(f"unknown stack {stack!r}: use one of {', '.join(STACKS)}")


def _granian(workers: int, port: int) -> list[str]:
    return [
        str(BIN / "granian"),
        "--interface=asgi",
        f"--workers={workers}",
        f"--port={port}",
        f"--host={HOST}",
        "--loop=uvloop",
        "--http=1",
        "--no-ws",
        "--log-level=warning",
        "--no-access-log",
    ]


def moto_command(port: int) -> list[str]:
    return [str(BIN / "moto_server"), "-H", HOST, "-p", str(port)]


def _wait_listening(process: subprocess.Popen[bytes], port: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode} before listening")
        try:
            with socket.create_connection((HOST, port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"server did not listen on {port} within {timeout} s")


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # The command name may hold spaces and parentheses; the fields after it do not.
        parent = int(stat[stat.rindex(")") + 2 :].split()[1])
        tree.setdefault(parent, []).append(int(entry.name))
    return tree


def _rss_bytes(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def workers(pid: int) -> list[int]:
    """The worker processes of the tree rooted at ``pid``: its leaves (the process itself
    when it has no children), leaving out multiprocessing's resource tracker."""
    tree = _children()
    leaves, pending = [], [pid]
    while pending:
        current = pending.pop()
        below = tree.get(current, [])
        pending.extend(below)
        if not below:
            leaves.append(current)
    return [p for p in leaves if b"resource_tracker" not in _cmdline(p)]


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def tree_cpu_seconds(pid: int) -> float:
    """CPU time (user and system) used so far by ``pid`` and every process below it."""
    tree, pending, ticks = _children(), [pid], 0
    while pending:
        current = pending.pop()
        pending.extend(tree.get(current, []))
        try:
            stat = Path(f"/proc/{current}/stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        ticks += int(fields[11]) + int(fields[12])  # utime, stime: fields 14 and 15 of stat
    return ticks / os.sysconf("SC_CLK_TCK")


def worker_rss(pid: int) -> int:
    """The largest resident set among the worker processes of the tree rooted at ``pid``."""
    return max((_rss_bytes(p) for p in workers(pid)), default=0)


def _established_inodes(port: int) -> set[int]:
    """Socket inodes of the established TCP connections whose local port is ``port``."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            local_port = int(fields[1].rsplit(":", 1)[1], 16)
            if local_port == port and fields[3] == "01":  # 01: ESTABLISHED
                found.add(int(fields[9]))
    return found


def connections_per_worker(pid: int, port: int) -> list[int]:
    """How many client connections each worker holds, busiest first."""
    inodes = _established_inodes(port)
    counts = []
    for worker in workers(pid):
        held = 0
        with contextlib.suppress(OSError):
            for fd in Path(f"/proc/{worker}/fd").iterdir():
                with contextlib.suppress(OSError):
                    link = os.readlink(fd)
                    held += link.startswith("socket:[") and int(link[8:-1]) in inodes
        counts.append(held)
    return sorted(counts, reverse=True)


@contextmanager
def serving(
    command: list[str], port: int, log: Path, env: dict[str, str] | None = None
) -> Iterator[Running]:
    """Run ``command`` (which listens on ``port``) until the block ends; output to ``log``."""
    environment = {**os.environ, "PYTHONPATH": str(BENCH_DIR), **(env or {})}
    with log.open("wb") as output:
        process = subprocess.Popen(
            command,
            env=environment,
            cwd=log.parent,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        _wait_listening(process, port, timeout=30)
    except RuntimeError as exc:
        _stop(process)
        tail = log.read_text(errors="replace")[-2000:]
        raise RuntimeError(f"{exc}: {' '.join(command[:2])} ...\n{tail}") from None
    try:
        yield Running(process.pid, port)
    finally:
        _stop(process)
