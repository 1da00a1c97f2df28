"""A closed-loop HTTP/1.1 load generator over keep-alive connections to 127.0.0.1.

Work comes as *lanes*: one list of pre-built request bytes per connection, sent in order, the
next one as soon as the previous answer is read; each lane's first request opens its
connection and is not timed. Lanes keep a sequence that must stay in order
(Add then Remove of the same share) on one connection. A run stops when every lane is done or
when the time limit passes, whichever is first, so it is bounded in count and in time.

Latency is measured from the first byte written to the last body byte read; throughput is the
answered requests divided by the time from the common start to the last answer.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

Lane = Sequence[bytes]

_MAX_ERROR_SAMPLES = 3


class ProtocolError(Exception):
    """The server answered something that is not HTTP/1.1 as we speak it."""


@dataclass
class Tally:
    """What the lanes of one run observed; latencies in seconds."""

    latencies: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    error_samples: list[str] = field(default_factory=list)
    reconnects: int = 0
    last_answer: float = 0.0

    def record(self, status: int, body: bytes, sent: float, answered: float) -> None:
        self.latencies.append(answered - sent)
        self.last_answer = max(self.last_answer, answered)
        self.count(status, body)

    def count(self, status: int, body: bytes) -> None:
        """Every answer's status counts, timed or not: an error is never hidden."""
        self.statuses[status] = self.statuses.get(status, 0) + 1
        if status >= 400 and len(self.error_samples) < _MAX_ERROR_SAMPLES:
            self.error_samples.append(f"HTTP {status}: {body[:300].decode('utf-8', 'replace')}")


def percentile(ordered: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile of already sorted values; 0.0 for no values."""
    if not ordered:
        return 0.0
    rank = max(1, min(len(ordered), math.ceil(fraction * len(ordered))))
    return ordered[rank - 1]


@dataclass(frozen=True)
class LoadResult:
    completed: int
    errors: int
    elapsed: float
    latencies: tuple[float, ...]  # sorted, seconds
    statuses: dict[int, int]
    error_samples: tuple[str, ...]
    reconnects: int
    # CPU seconds the load generator itself used: on a 2-core machine it competes with the
    # server, so it is reported rather than hidden.
    client_cpu: float = 0.0

    @classmethod
    def from_tally(cls, tally: Tally, started: float, client_cpu: float) -> LoadResult:
        errors = sum(n for status, n in tally.statuses.items() if status >= 400)
        return cls(
            completed=len(tally.latencies),
            errors=errors,
            elapsed=max(tally.last_answer - started, 1e-9),
            latencies=tuple(sorted(tally.latencies)),
            statuses=dict(tally.statuses),
            error_samples=tuple(tally.error_samples),
            reconnects=tally.reconnects,
            client_cpu=client_cpu,
        )

    @property
    def client_us_per_request(self) -> float:
        return self.client_cpu / self.completed * 1e6 if self.completed else 0.0

    @property
    def throughput(self) -> float:
        return self.completed / self.elapsed if self.completed else 0.0

    def latency_ms(self, fraction: float) -> float:
        return percentile(self.latencies, fraction) * 1000

    @property
    def p50_ms(self) -> float:
        return self.latency_ms(0.50)

    @property
    def p99_ms(self) -> float:
        return self.latency_ms(0.99)


def _content_length(head: bytes) -> int | None:
    """The body length from a response head; None for a chunked body.

    :raises ProtocolError: neither Content-Length nor chunked encoding.
    """
    lowered = head.lower()
    marker = lowered.find(b"\r\ncontent-length:")
    if marker >= 0:
        start = marker + len(b"\r\ncontent-length:")
        return int(lowered[start : lowered.index(b"\r\n", start)].strip())
    if b"\r\ntransfer-encoding: chunked" in lowered:
        return None
    raise ProtocolError(f"response without a length: {head[:200]!r}")


async def _read_chunked(reader: asyncio.StreamReader) -> bytes:
    body = bytearray()
    while True:
        size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
        if size == 0:
            await reader.readuntil(b"\r\n")
            return bytes(body)
        body += await reader.readexactly(size + 2)
        del body[-2:]


async def read_response(reader: asyncio.StreamReader) -> tuple[int, bytes, bool]:
    """One response: (status, body, whether the server will close the connection).

    :raises ProtocolError: a malformed status line or a response without a length.
    """
    head = await reader.readuntil(b"\r\n\r\n")
    if not head.startswith(b"HTTP/1."):
        raise ProtocolError(f"not an HTTP/1.x response: {head[:80]!r}")
    status = int(head[9:12])
    length = _content_length(head)
    body = await (_read_chunked(reader) if length is None else reader.readexactly(length))
    closing = b"\r\nconnection: close" in head.lower() or head.startswith(b"HTTP/1.0")
    return status, body, closing


class _Connection:
    def __init__(self, host: str, port: int, tally: Tally) -> None:
        self.host, self.port, self.tally = host, port, tally
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def open(self) -> None:
        self.reader, self.writer = await asyncio.open_connection(self.host, self.port)

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            with contextlib.suppress(OSError):
                await self.writer.wait_closed()
        self.reader = self.writer = None

    async def exchange(self, request: bytes) -> None:
        """Send one request and record its answer, reconnecting when the server closes."""
        if self.writer is None or self.reader is None:
            self.tally.reconnects += 1
            await self.open()
        assert self.writer is not None and self.reader is not None
        sent = time.perf_counter()
        self.writer.write(request)
        status, body, closing = await read_response(self.reader)
        self.tally.record(status, body, sent, time.perf_counter())
        if closing:
            await self.close()

    async def prime(self, request: bytes) -> None:
        """Send a first request whose answer is counted but not timed."""
        assert self.writer is not None and self.reader is not None
        self.writer.write(request)
        status, body, closing = await read_response(self.reader)
        self.tally.count(status, body)
        if closing:
            await self.close()


async def _drive(connection: _Connection, lane: Lane, deadline: float) -> None:
    try:
        for request in lane:
            if time.perf_counter() >= deadline:
                return
            await connection.exchange(request)
    finally:
        await connection.close()


async def _open_staggered(connections: Sequence[_Connection], lanes: Sequence[Lane]) -> None:
    """Open the connections one after another, each sending its lane's first request before
    the next one opens, as clients arriving over time would. A burst of connects would all
    be accepted by whichever server worker process woke first, leaving the others idle."""
    primers = []
    for connection, lane in zip(connections, lanes, strict=True):
        await connection.open()
        if lane:
            primers.append(asyncio.ensure_future(connection.prime(lane[0])))
    await asyncio.gather(*primers)


async def run_lanes(
    host: str,
    port: int,
    lanes: Sequence[Lane],
    duration: float,
    on_ready: Callable[[], None] | None = None,
) -> LoadResult:
    """Open one connection per lane (its first request untimed), call ``on_ready``, then
    drive the rest of every lane from one common start.

    :raises ProtocolError, OSError: the server broke the protocol or the connection.
    """
    tally = Tally()
    connections = [_Connection(host, port, tally) for _ in lanes]
    await _open_staggered(connections, lanes)
    if on_ready is not None:
        on_ready()
    started, cpu_started = time.perf_counter(), time.process_time()
    deadline = started + duration
    await asyncio.gather(
        *(_drive(c, lane[1:], deadline) for c, lane in zip(connections, lanes, strict=True))
    )
    return LoadResult.from_tally(tally, started, time.process_time() - cpu_started)


def run(
    host: str,
    port: int,
    lanes: Sequence[Lane],
    duration: float,
    on_ready: Callable[[], None] | None = None,
) -> LoadResult:
    """Run :func:`run_lanes` on a fresh uvloop event loop."""
    import uvloop  # a dependency of uvicorn[standard], the server we ship

    with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
        return runner.run(run_lanes(host, port, lanes, duration, on_ready))
