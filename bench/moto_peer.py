"""The peer: moto's server doing the AWS analogue of image sharing.

EC2 shares an AMI with another account through ``ModifyImageAttribute`` launch permissions
and lists them with ``DescribeImageAttribute``: the same two operations as imageshare's write
and read scenarios. moto runs as users run it (``moto_server``, werkzeug, threaded), an AMI is
registered through boto3, and the requests are pre-signed with botocore's SigV4 (each with its
own ``X-Amz-Date``) and sent by the same load generator.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

import boto3
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from bench.loadgen import Lane

REGION = "us-east-1"
EC2_VERSION = "2016-11-15"
# moto accepts any credentials unless told to check them; a recipient is any 12-digit id.
CREDENTIALS = Credentials("AKIDBENCHMARK0000000", "bench-secret")
RECIPIENT = "111122223333"


@dataclass(frozen=True)
class MotoWorld:
    endpoint: str  # "127.0.0.1:PORT"
    image_ids: tuple[str, ...]  # one AMI per lane


def register_images(endpoint: str, count: int) -> MotoWorld:
    """Register ``count`` AMIs (one per lane) through boto3."""
    ec2 = boto3.client(
        "ec2",
        endpoint_url=f"http://{endpoint}",
        region_name=REGION,
        aws_access_key_id=CREDENTIALS.access_key,
        aws_secret_access_key=CREDENTIALS.secret_key,
    )
    image_ids = []
    for index in range(count):
        reply = ec2.register_image(
            Name=f"bench-{index}",
            Architecture="x86_64",
            RootDeviceName="/dev/xvda",
            BlockDeviceMappings=[{"DeviceName": "/dev/xvda", "Ebs": {"VolumeSize": 8}}],
        )
        image_ids.append(reply["ImageId"])
    return MotoWorld(endpoint, tuple(image_ids))


def signed_request(endpoint: str, params: list[tuple[str, str]]) -> bytes:
    """One EC2 Query API request as botocore sends it, SigV4-signed now."""
    body = urlencode([("Version", EC2_VERSION), *params])
    request = AWSRequest(
        method="POST",
        url=f"http://{endpoint}/",
        data=body,
        headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"},
    )
    SigV4Auth(CREDENTIALS, "ec2", REGION).add_auth(request)
    headers = [("Host", endpoint), *request.headers.items()]
    head = "".join(f"{name}: {value}\r\n" for name, value in headers)
    encoded = body.encode("ascii")
    return f"POST / HTTP/1.1\r\n{head}Content-Length: {len(encoded)}\r\n\r\n".encode() + encoded


def _modify(world: MotoWorld, lane: int, step: int) -> bytes:
    operation = "Add" if step % 2 == 0 else "Remove"
    params = [
        ("Action", "ModifyImageAttribute"),
        ("ImageId", world.image_ids[lane]),
        (f"LaunchPermission.{operation}.1.UserId", RECIPIENT),
    ]
    return signed_request(world.endpoint, params)


def _describe(world: MotoWorld, lane: int, _step: int) -> bytes:
    params = [
        ("Action", "DescribeImageAttribute"),
        ("ImageId", world.image_ids[lane]),
        ("Attribute", "launchPermission"),
    ]
    return signed_request(world.endpoint, params)


SCENARIOS = {"write": _modify, "read": _describe}


def build_lanes(world: MotoWorld, scenario: str, *, lanes: int, count: int) -> list[Lane]:
    """Lane ``i`` adds and removes (or reads) the launch permission of its own AMI."""
    make = SCENARIOS[scenario]
    per_lane = max(2, -(-count // lanes))
    per_lane += per_lane % 2
    return [[make(world, lane, step) for step in range(per_lane)] for lane in range(lanes)]
