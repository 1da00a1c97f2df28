"""The benchmark tooling measures what it claims: its requests are accepted by the real server
(both signature schemes, fresh nonces), its HTTP reader and statistics are right, and the
generated parts of docs/performance.md are replaced, never duplicated."""

from __future__ import annotations

import asyncio
import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from support.world import World  # noqa: E402

from bench import (  # noqa: E402
    dataset,
    instructions,
    loadgen,
    report,
    revisions,
    servers,
)
from bench.actors import Actors, create_actors  # noqa: E402
from bench.measure import ImageshareConfig, Version  # noqa: E402
from bench.scenarios import SCENARIOS, build_lanes  # noqa: E402
from bench.servers import worker_rss  # noqa: E402


@pytest.mark.parametrize(
    ("values", "fraction", "expected"),
    [
        ([], 0.5, 0.0),
        ([7.0], 0.99, 7.0),
        ([1.0, 2.0, 3.0, 4.0], 0.5, 2.0),
        ([1.0, 2.0, 3.0, 4.0], 0.75, 3.0),
        ([float(i) for i in range(1, 101)], 0.99, 99.0),
        ([float(i) for i in range(1, 101)], 1.0, 100.0),
        ([float(i) for i in range(1, 101)], 0.0, 1.0),
    ],
    ids=["empty", "one", "median-even", "p75", "p99-of-100", "max", "min"],
)
def test_percentile_is_nearest_rank(values: list[float], fraction: float, expected: float) -> None:
    assert loadgen.percentile(values, fraction) == expected


@given(st.lists(st.floats(0, 1e6), min_size=1), st.floats(0, 1), st.floats(0, 1))
def test_percentile_is_a_member_and_monotonic(values: list[float], a: float, b: float) -> None:
    ordered = sorted(values)
    low, high = sorted((a, b))
    assert loadgen.percentile(ordered, low) in ordered
    assert loadgen.percentile(ordered, low) <= loadgen.percentile(ordered, high)


def _read(data: bytes) -> tuple[int, bytes, bool]:
    async def go() -> tuple[int, bytes, bool]:
        reader = asyncio.StreamReader()
        reader.feed_data(data)
        reader.feed_eof()
        return await loadgen.read_response(reader)

    return asyncio.run(go())


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}", (200, b"{}", False)),
        (b"HTTP/1.1 404 Not Found\r\ncontent-length: 3\r\n\r\nabc", (404, b"abc", False)),
        (
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
            b"3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n",
            (200, b"abcde", False),
        ),
        (b"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n", (200, b"", True)),
        (b"HTTP/1.0 200 OK\r\nContent-Length: 1\r\n\r\nx", (200, b"x", True)),
    ],
    ids=["length", "lower-case-header", "chunked", "close", "http-1.0"],
)
def test_read_response(raw: bytes, expected: tuple[int, bytes, bool]) -> None:
    assert _read(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [b"SSH-2.0-OpenSSH\r\n\r\n", b"HTTP/1.1 200 OK\r\nServer: x\r\n\r\n"],
    ids=["not-http", "no-length"],
)
def test_read_response_refuses_what_it_cannot_frame(raw: bytes) -> None:
    with pytest.raises(loadgen.ProtocolError):
        _read(raw)


def test_replace_section_appends_then_replaces_in_place() -> None:
    document = "# Performance\n\nprose\n"
    once = report.replace_section(document, "results", "first")
    twice = report.replace_section(once + "\nmore prose\n", "results", "second")
    assert "first" in once and "first" not in twice
    assert twice.count("<!-- BEGIN bench:results -->") == 1
    assert twice.index("second") < twice.index("more prose")


def test_replace_section_refuses_broken_markers() -> None:
    broken = "<!-- BEGIN bench:results -->\nno end\n"
    with pytest.raises(ValueError, match="results"):
        report.replace_section(broken, "results", "x")


@pytest.mark.parametrize("recipient", [0, 1, 4_242, 99_999])
def test_every_account_receives_fifty_shares_from_others(recipient: int) -> None:
    senders = []
    for k in range(dataset.SHARES_PER_IMAGE):
        for slot in range(dataset.IMAGES_PER_ACCOUNT):
            offset = 1 + k * dataset._SPREAD + slot * 3
            owner = (recipient - offset) % dataset.ACCOUNTS
            image = owner * dataset.IMAGES_PER_ACCOUNT + slot
            assert recipient in dataset.recipients(owner, image)
            senders.append(image)
    assert len(set(senders)) == 50


@given(st.integers(0, dataset.ACCOUNTS * dataset.IMAGES_PER_ACCOUNT - 1))
def test_an_image_has_five_distinct_recipients_never_its_owner(image: int) -> None:
    owner = image // dataset.IMAGES_PER_ACCOUNT
    found = dataset.recipients(owner, image)
    assert len(set(found)) == dataset.SHARES_PER_IMAGE
    assert owner not in found


def test_worker_rss_of_this_process() -> None:
    import os

    assert worker_rss(os.getpid()) > 10 * 2**20


@pytest.fixture(scope="module")
def actors(server: World) -> Actors:
    """One set of scenario actors per database; write lanes leave it as they found it."""
    with server.store.unit_of_work(write=True) as uow:
        made = create_actors(uow, lanes=2)
        uow.commit()
    return made


@pytest.mark.parametrize("scheme", ["acs3", "rpc"])
@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
def test_presigned_lanes_are_answered_200_by_the_real_server(
    world: World, actors: Actors, scenario: str, scheme: str
) -> None:
    lanes = build_lanes(
        SCENARIOS[scenario], actors, world.endpoint, lanes=2, count=6, scheme=scheme
    )
    sent = sum(len(lane) for lane in lanes)
    result = loadgen.run("127.0.0.1", world.port, lanes, duration=30)
    assert sent == 8  # 6 asked, rounded up to whole Add/Remove pairs on each of 2 lanes
    assert result.statuses == {200: sent}, result.error_samples
    assert result.completed == sent - 2  # each lane's first request opens it, untimed


def test_a_replayed_presigned_request_is_refused(world: World, actors: Actors) -> None:
    """The load generator cannot flatter the server by replaying: a nonce is used once."""
    lane = build_lanes(SCENARIOS["read"], actors, world.endpoint, lanes=1, count=2, scheme="acs3")
    result = loadgen.run("127.0.0.1", world.port, [[lane[0][0], lane[0][0]]], duration=30)
    assert result.statuses == {200: 1, 400: 1}
    assert "SignatureNonceUsed" in result.error_samples[0]


def test_connections_per_worker_counts_what_the_workers_hold(tmp_path: Path) -> None:
    """The driver reports how the load generator's connections landed on the workers."""
    port = servers.free_port()
    command = servers.bare_command("uvicorn", 2, port)
    seen: list[int] = []
    with servers.serving(command, port, tmp_path / "bare.log") as running:
        lanes = [[b"GET / HTTP/1.1\r\nHost: x\r\n\r\n"] * 3 for _ in range(8)]

        def look() -> None:
            seen.extend(servers.connections_per_worker(running.pid, port))

        result = loadgen.run(servers.HOST, port, lanes, duration=30, on_ready=look)
        assert len(servers.workers(running.pid)) == 2
    assert result.statuses == {200: 24}
    assert sum(seen) == 8 and len(seen) == 2


@pytest.mark.parametrize("scenario", ["read", "write"])
def test_instruction_counts_replay_the_same_work_every_run(tmp_path: Path, scenario: str) -> None:
    """bench/instructions.py subtracts one run from another: each must start from the
    prepared database, or the second would meet its nonces again (and its ClientTokens) and
    stop with an error instead of counting the same requests."""
    data = tmp_path / "data"
    instructions._prepare(data, scenario, instructions.WARM_UP + 20)
    for calls in (20, 20, 0):
        instructions._replay(data, calls)
    requests = pickle.loads((data / "requests.pickle").read_bytes())
    method, query, headers, body, path = requests[0]
    headers = {**headers, "x-acs-signature-nonce": ["changed-after-signing"]}
    requests[0] = (method, query, headers, body, path)
    (data / "requests.pickle").write_bytes(pickle.dumps(requests))
    with pytest.raises(SystemExit, match="HTTP 400"):  # a refusal is not counted as work
        instructions._replay(data, 20)


def test_instruction_counts_through_the_app_answer_every_request(tmp_path: Path) -> None:
    """`--layer app` hands each request to the ASGI app as uvicorn would (in a process of its
    own, as under valgrind: it sets up the request log); a refused request stops the count."""
    data = tmp_path / "data"
    instructions._prepare(data, "read", instructions.WARM_UP + 5)
    script = [sys.executable, str(revisions.ROOT / "bench" / "instructions.py")]
    replay = [*script, f"--replay={data}", "--calls=5", "--layer=app"]
    done = subprocess.run(replay, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    again = subprocess.run(replay, capture_output=True, text=True)  # from the prepared copy
    assert again.returncode == 0, again.stderr[-2000:]
    requests = pickle.loads((data / "requests.pickle").read_bytes())
    requests[0] = (*requests[0][:2], {}, *requests[0][3:])  # no signature at all
    (data / "requests.pickle").write_bytes(pickle.dumps(requests))
    refused = subprocess.run(replay, capture_output=True, text=True)
    assert refused.returncode != 0 and "HTTP 400" in refused.stderr


def test_another_revision_is_served_from_its_own_checkout(tmp_path: Path) -> None:
    """`bench/run.py --against REV` and `bench/instructions.py --against REV` run the
    revision's code by putting its worktree first on PYTHONPATH: that must win over this
    checkout's editable install, and the worktree must be gone afterwards."""
    with revisions.checked_out(["HEAD"], tmp_path) as checkouts:
        checkout = checkouts["HEAD"]
        imported = subprocess.run(
            [sys.executable, "-c", "import imageshare; print(imageshare.__file__)"],
            env={**os.environ, "PYTHONPATH": revisions.python_path(checkout)},
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        older = Version(("HEAD", checkout))
        config = ImageshareConfig("uvicorn", "sqlite", "empty", 2, "sqlite://", older)
        assert config.target == "imageshare@HEAD"
        assert config.server_env()["PYTHONPATH"].startswith(str(checkout / "src"))
        assert config.command(8080)[1].endswith("serve_older.py")
    assert Path(imported).is_relative_to(checkout / "src")
    assert not checkout.exists()
