"""Who shares with whom, laid out for an inline SVG: accounts on a circle, a line per
(owner, recipient) pair, thicker for more images. Pure: rows in, coordinates out."""

from __future__ import annotations

import math
from typing import Any

from imageshare.values import frozen

SIZE = 640
RADIUS = 250


@frozen
class Node:
    account: int
    x: float
    y: float
    shares_out: int
    shares_in: int


@frozen
class Edge:
    owner: Node
    to: Node
    images: int

    @property
    def width(self) -> float:
        return min(1.0 + math.log2(self.images), 6.0)

    def end(self) -> tuple[float, float]:
        """Where the arrow stops: short of the recipient's circle."""
        dx, dy = self.to.x - self.owner.x, self.to.y - self.owner.y
        length = math.hypot(dx, dy) or 1.0
        return self.to.x - dx / length * 14, self.to.y - dy / length * 14


def layout(edges: list[dict[str, Any]]) -> tuple[list[Node], list[Edge]]:
    accounts: list[int] = []
    for edge in edges:
        for account in (edge["owner"], edge["to"]):
            if account not in accounts:
                accounts.append(account)
    accounts.sort()
    out = {a: sum(e["images"] for e in edges if e["owner"] == a) for a in accounts}
    into = {a: sum(e["images"] for e in edges if e["to"] == a) for a in accounts}
    nodes = {}
    for index, account in enumerate(accounts):
        angle = 2 * math.pi * index / max(len(accounts), 1) - math.pi / 2
        x = SIZE / 2 + RADIUS * math.cos(angle)
        y = SIZE / 2 + RADIUS * math.sin(angle)
        nodes[account] = Node(account, round(x, 1), round(y, 1), out[account], into[account])
    lines = [Edge(nodes[e["owner"]], nodes[e["to"]], int(e["images"])) for e in edges]
    return list(nodes.values()), lines
