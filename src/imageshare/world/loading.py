"""What loading one world needs as it goes, and what it made (for the summary tables).

Every write happens inside :meth:`Loading.at`, which turns a refusal from a service (a product
rule) or from the database (a constraint) into a :class:`WorldRefused` naming the line of the
entry that caused it; the caller's unit of work then rolls everything back.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from imageshare.errors import ServiceError
from imageshare.services.accounts import AdminError
from imageshare.store.statement import INTEGRITY_ERRORS
from imageshare.store.uow import UnitOfWork
from imageshare.values import frozen
from imageshare.world.problems import Lines, Path, WorldRefused


@frozen
class LoadedKey:
    id: str
    secret: str
    user: str | None  # None: a root key of the account


@frozen
class LoadedAccount:
    name: str
    id: int
    site: str
    keys: tuple[LoadedKey, ...]


@frozen
class LoadedImage:
    product: str  # "swas" | "ecd"
    owner: str  # the owning account's name in the file
    name: str
    id: str
    region: str
    shared_with: tuple[int, ...] = ()


@dataclass
class LoadedWorld:
    """Accounts (with every key, secrets included), images, and counts of the rest."""

    accounts: list[LoadedAccount] = field(default_factory=list)
    images: list[LoadedImage] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)


class Clock:
    """One load's timestamps: a microsecond apart, so listings ordered by creation time show
    entries in the order the file declares them."""

    def __init__(self, start: datetime) -> None:
        self._start = start
        self._ticks = 0

    def now(self) -> datetime:
        self._ticks += 1
        return self._start + timedelta(microseconds=self._ticks)


@dataclass
class Loading:
    uow: UnitOfWork
    lines: Lines
    clock: Clock
    swas_share_limit: int
    result: LoadedWorld = field(default_factory=LoadedWorld)
    # Account names of the file -> account ids.
    account_ids: dict[str, int] = field(default_factory=dict)
    # (account name, product, image name) -> index into result.images.
    images: dict[tuple[str, str, str], int] = field(default_factory=dict)

    @contextmanager
    def at(self, path: Path) -> Iterator[None]:
        """Run one entry's writes; a refusal becomes a problem at that entry's line.

        :raises WorldRefused: a service or the database refused the entry.
        """
        try:
            yield
        except ServiceError as error:
            raise self.refused(path, f"{error.code}: {error.message}") from None
        except AdminError as error:
            raise self.refused(path, str(error)) from None
        except INTEGRITY_ERRORS as error:
            first = str(error).strip().splitlines()[0]
            message = f"the database already holds a conflicting row ({first})"
            raise self.refused(path, message) from None

    def refused(self, path: Path, message: str) -> WorldRefused:
        return WorldRefused([self.lines.problem(path, message)])

    def add_image(self, image: LoadedImage) -> None:
        self.images[(image.owner, image.product, image.name)] = len(self.result.images)
        self.result.images.append(image)
