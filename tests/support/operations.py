"""A server whose operations that take time (copies, image creation) all take the same number
of minutes: the tests of their states freeze and advance its clock through them."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from imageshare.config import duration_setting
from imageshare.domain.operations import Operation
from support.databases import database_url
from support.errors import tea_error
from support.server import running_server
from support.world import World


@contextmanager
def slow_operations_world(
    backend: str, tmp_path_factory: pytest.TempPathFactory, name: str, minutes: float
) -> Iterator[World]:
    """A server on a database of its own where every operation takes ``minutes``."""
    tmp = str(tmp_path_factory.mktemp(f"{name}-{backend}"))
    durations: dict[str, Any] = {duration_setting(op): minutes * 60.0 for op in Operation}
    with database_url(backend, tmp) as url, running_server(url, **durations) as (endpoint, store):
        yield World(endpoint, store)


@contextmanager
def frozen(world: World) -> Iterator[World]:
    """``world`` with its clock frozen for one test; the real time and no fault rules after."""
    world.clock.freeze()
    try:
        yield world
    finally:
        world.clock.reset()
        world.faults.clear()


def refused(call: Callable[[], Any]) -> tuple[int, str]:
    """The HTTP status and error code an SDK call was refused with."""
    error = tea_error(call)
    return error.status, error.code
