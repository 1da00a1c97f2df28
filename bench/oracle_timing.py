"""Does a stranger's image answer slower than a missing one? (issue 19, "no existence oracle")

Starts the real server in-process on a throw-away database, makes a caller and a stranger
with a private image on each product, then sends each product's share-listing and sharing call
(ECD DescribeImagePermission / ModifyImagePermission, SWAS ListCustomImageShareAccounts /
AddCustomImageShareAccount, ECS DescribeImageSharePermission / ModifyImageSharePermission) for
the stranger's image and for an id that does not exist, interleaved, over one keep-alive
connection, pre-signed (bench/presign.py), and prints the median and interquartile range of
each, and the difference of the medians:

    PYTHONPATH=src python -m bench.oracle_timing --database sqlite --requests 2000
"""

from __future__ import annotations

import argparse
import http.client
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from support.databases import database_url  # noqa: E402
from support.server import running_server  # noqa: E402
from support.world import World  # noqa: E402

from bench.presign import ApiCall, Credentials, signed_request  # noqa: E402

MISSING = "m-" + "0" * 20
FRIEND = "1000000000000001"
# product: (version, listing action, sharing action, its account parameter)
PRODUCTS = {
    "ecd": ("2020-09-30", "DescribeImagePermission", "ModifyImagePermission", "AddAccount.1"),
    "swas": (
        "2020-06-01",
        "ListCustomImageShareAccounts",
        "AddCustomImageShareAccount",
        "Account.1",
    ),
    "ecs": (
        "2014-05-26",
        "DescribeImageSharePermission",
        "ModifyImageSharePermission",
        "AddAccount.1",
    ),
}


def _calls(product: str, image_id: str) -> list[ApiCall]:
    version, listing, sharing, account = PRODUCTS[product]
    params = (("RegionId", "cn-hangzhou"), ("ImageId", image_id))
    return [
        ApiCall(listing, version, params),
        ApiCall(sharing, version, (*params, (account, FRIEND))),
    ]


def _time_one(conn: http.client.HTTPConnection, request: bytes) -> float:
    started = time.perf_counter()
    conn.sock.sendall(request)
    response = http.client.HTTPResponse(conn.sock)
    response.begin()
    body = response.read()
    elapsed = time.perf_counter() - started
    assert b"InvalidImageId.NotFound" in body, body
    return elapsed


def measure(endpoint: str, who: Credentials, calls: dict[str, ApiCall], n: int) -> None:
    """``calls``: the same action for the stranger's image and for the missing id."""
    host, port = endpoint.rsplit(":", 1)
    conn = http.client.HTTPConnection(host, int(port))
    conn.connect()
    action = calls["missing"].action
    samples: dict[str, list[float]] = {"stranger's": [], "missing": []}
    for _ in range(n):
        for label, call in calls.items():
            request = signed_request("rpc", endpoint, who, call)
            samples[label].append(_time_one(conn, request))
    medians = {}
    for label, values in samples.items():
        q1, median, q3 = statistics.quantiles(values, n=4)
        medians[label] = median
        spread = f"IQR {q1 * 1e6:.0f}-{q3 * 1e6:.0f}"
        print(f"  {action:24} {label:10} median {median * 1e6:7.0f} µs  {spread}")
    diff = (medians["stranger's"] - medians["missing"]) * 1e6
    print(f"  {action:24} difference of medians {diff:+.0f} µs")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--product", choices=sorted(PRODUCTS), action="append")
    args = parser.parse_args()
    with (
        tempfile.TemporaryDirectory() as tmp,
        database_url(args.database, tmp) as url,
        running_server(url) as (endpoint, store),
    ):
        world = World(endpoint, store)
        caller, stranger = world.account(), world.account()
        theirs = {
            "ecd": lambda: world.ecd_image(stranger),
            "swas": lambda: world.swas_image(stranger).id,
            "ecs": lambda: world.ecs_image(stranger),
        }
        who = Credentials(caller.key_id, caller.secret)
        print(f"{args.database}, {args.requests} requests of each kind per action")
        for product in args.product or sorted(PRODUCTS):
            image_id = theirs[product]()
            for stranger_call, missing_call in zip(
                _calls(product, image_id), _calls(product, MISSING), strict=True
            ):
                calls = {"stranger's": stranger_call, "missing": missing_call}
                measure(endpoint, who, calls, args.requests)


if __name__ == "__main__":
    main()
