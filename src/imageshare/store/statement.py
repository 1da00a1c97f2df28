"""The one way the request path runs SQL: a ``Statement``, compiled once per database, run on
the DB-API connection of a unit of work (``Db``), inside its transaction.

Building and running a Core statement through SQLAlchemy costs several times the database's
own work for the short statements a request runs (docs/performance.md), so every repository
declares its statements once, at import or per combination of filters (a cached builder), and
runs them here. It stays one definition for both databases: the SQL is SQLAlchemy's own
compilation (named parameters on both drivers, so values go in by name, never by position),
values go through each bound parameter's type and results through each column's type, so
nothing is stored or read differently from ``Connection.execute``. Only public SQLAlchemy is
read: the statement's bound parameters (``visitors.iterate``), the compiled string and its
``params``. Driver errors are not wrapped in SQLAlchemy's exceptions (``Db.IntegrityError``).
Admin, CLI and state code use plain Core on an engine connection instead. What a statement
is declared with (typed parameters, INSERTs, paged listings) is in store/statement_builders.py.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any, cast

from sqlalchemy import BindParameter, DateTime, Dialect
from sqlalchemy.sql import visitors
from sqlalchemy.sql.expression import ClauseElement
from sqlalchemy.types import NullType, TypeEngine

from imageshare.values import frozen


def _integrity_errors() -> tuple[type[Exception], ...]:
    try:
        import psycopg  # an optional extra: imageshare[postgres]
    except ImportError:
        return (sqlite3.IntegrityError,)
    return (sqlite3.IntegrityError, psycopg.IntegrityError)


# What a statement that breaks a constraint raises, on either driver (they are not wrapped).
INTEGRITY_ERRORS = _integrity_errors()

Processor = Callable[[Any], Any]
Row = tuple[Any, ...]


# The key of a statement's plan for ``run_many``, after the dialect's name.
_BY_POSITION = "/by-position"


class Db:
    """A unit of work's DB-API connection and its dialect: what a repository runs statements
    on, and all it may do with the database."""

    __slots__ = ("dialect", "driver", "fairy", "name")

    def __init__(self, fairy: Any, dialect: Dialect) -> None:
        self.fairy = fairy  # the pool's connection, around the driver's
        self.driver = fairy.driver_connection
        self.dialect = dialect
        self.name: str = dialect.name

    @property
    def IntegrityError(self) -> type[Exception]:
        """The driver's own: statements here are not wrapped in SQLAlchemy's exceptions."""
        error: type[Exception] = self.dialect.loaded_dbapi.IntegrityError
        return error

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        """A nested transaction: an error inside rolls back only what ran inside."""
        self.driver.execute("SAVEPOINT imageshare")
        try:
            yield
        except BaseException:
            self.driver.execute("ROLLBACK TO SAVEPOINT imageshare")
            self.driver.execute("RELEASE SAVEPOINT imageshare")
            raise
        self.driver.execute("RELEASE SAVEPOINT imageshare")


@frozen
class _Plan:
    sql: str
    constants: dict[str, Any]  # literal values SQLAlchemy bound itself (LIMIT 1, OFFSET 0)
    binders: tuple[tuple[str, Processor], ...]  # parameters whose type converts them
    readers: tuple[tuple[int, Processor], ...]  # result columns whose type converts them
    # run_many's: values given by position whose type converts them
    positional_binders: tuple[tuple[int, Processor], ...] = ()


class Statement:
    """A Core statement, or one per dialect name, compiled on first use per dialect.

    Every parameter is a ``bindparam`` with a name and a type (values compared with a column
    take its type; ``insert_row`` and ``bind`` give the others theirs): an untyped one is a
    ``TypeError`` when the statement is first compiled, so no value reaches the driver
    unconverted.
    """

    __slots__ = ("_plans", "_statement")

    def __init__(self, statement: ClauseElement | Mapping[str, ClauseElement]) -> None:
        self._statement = statement
        self._plans: dict[str, _Plan] = {}

    def rows(self, db: Db, params: Mapping[str, Any] | None = None) -> list[Row]:
        cursor = self._execute(db, params)
        try:
            # Both drivers fetch a list of tuples.
            found = cast(list[Row], cursor.fetchall() if cursor.description else [])
        finally:
            cursor.close()
        readers = self._plans[db.name].readers
        if not readers or not found:
            return found
        return [_convert(row, readers) for row in found]

    def first(self, db: Db, params: Mapping[str, Any] | None = None) -> Row | None:
        found = self.rows(db, params)
        return found[0] if found else None

    def scalar(self, db: Db, params: Mapping[str, Any] | None = None) -> Any:
        """The first column of the one row (a count, an EXISTS)."""
        ((value, *_),) = self.rows(db, params)
        return value

    def run(self, db: Db, params: Mapping[str, Any] | None = None) -> int:
        """Run a statement that returns no rows; how many rows it changed."""
        cursor = self._execute(db, params)
        try:
            return int(cursor.rowcount)
        finally:
            cursor.close()

    def run_many(self, db: Db, rows: Sequence[Sequence[Any]]) -> None:
        """An INSERT made by ``insert_row`` once per row, in one ``executemany``; each row
        holds its values in the statement's column order. The values go to the driver by
        position: a batch of audit events costs no mapping per row, and the driver looks up
        no parameter by name."""
        plan = self._plans.get(db.name + _BY_POSITION) or self._positional_plan(db.dialect)
        batch: Sequence[Sequence[Any]] = rows
        if plan.positional_binders:
            batch = [_convert(row, plan.positional_binders) for row in rows]
        cursor = db.driver.cursor()
        try:
            cursor.executemany(plan.sql, batch)
        finally:
            cursor.close()

    def _execute(self, db: Db, params: Mapping[str, Any] | None) -> Any:
        plan = self._plans.get(db.name) or self._plan(db.dialect)
        if not (plan.constants or plan.binders):
            return db.driver.execute(plan.sql, params or {})
        values = {**plan.constants, **params} if params else dict(plan.constants)
        for name, bind in plan.binders:
            values[name] = bind(values[name])
        return db.driver.execute(plan.sql, values)

    def _positional_plan(self, dialect: Dialect) -> _Plan:
        """The statement with positional parameters (``?`` or ``%s``)."""
        statement = self._statement
        if isinstance(statement, Mapping):
            statement = statement[dialect.name]
        style = "qmark" if dialect.name == "sqlite" else "format"
        positional: Dialect = type(dialect)(paramstyle=style)  # type: ignore[call-arg]
        compiled = statement.compile(dialect=positional)
        named = _typed_binds(statement)
        names: list[str] = getattr(compiled, "positiontup", None) or []
        if set(names) != set(named):
            raise TypeError(f"run_many needs every value as a named parameter: {names}")
        binders = tuple(
            (index, bind)
            for index, name in enumerate(names)
            if (bind := _bind_processor(named[name], dialect))
        )
        plan = _Plan(compiled.string, {}, (), (), binders)
        self._plans[dialect.name + _BY_POSITION] = plan
        return plan

    def _plan(self, dialect: Dialect) -> _Plan:
        statement = self._statement
        if isinstance(statement, Mapping):
            statement = statement[dialect.name]
        compiled = statement.compile(dialect=dialect)
        named = _typed_binds(statement)
        constants = {k: v for k, v in compiled.params.items() if k not in named}
        if not all(isinstance(v, int | str) for v in constants.values()):
            raise TypeError(f"bind values other than int and str by name: {constants}")
        binders = tuple(
            (name, bind)
            for name, type_ in named.items()
            if (bind := _bind_processor(type_, dialect))
        )
        columns = getattr(statement, "exported_columns", ())
        readers = tuple(
            (index, read)
            for index, column in enumerate(columns)
            if (read := _result_processor(column.type, dialect))
        )
        plan = _Plan(compiled.string, constants, binders, readers)
        self._plans[dialect.name] = plan
        return plan


def _typed_binds(statement: ClauseElement) -> dict[str, TypeEngine[Any]]:
    """Every named parameter of ``statement`` and its type.

    :raises TypeError: a named parameter without a type.
    """
    found: dict[str, TypeEngine[Any]] = {}
    for element in visitors.iterate(statement):
        if not isinstance(element, BindParameter) or element.key.startswith("%("):
            continue  # an anonymous one is a literal SQLAlchemy bound: compiled.params has it
        if isinstance(element.type, NullType):
            raise TypeError(f"bindparam {element.key!r} has no type: give it its column's")
        found[element.key] = element.type
    return found


def _convert(row: Sequence[Any], readers: tuple[tuple[int, Processor], ...]) -> Row:
    values = list(row)
    for index, read in readers:
        values[index] = read(values[index])
    return tuple(values)


def _result_processor(type_: TypeEngine[Any], dialect: Dialect) -> Processor | None:
    if dialect.name == "sqlite" and isinstance(type_, DateTime):
        # SQLAlchemy stores SQLite datetimes as ISO text ("2026-11-23 12:00:00.000000") and
        # reads them back with a regular expression; the C parser reads the same text in a
        # tenth of the time.
        return _sqlite_datetime
    return type_.dialect_impl(dialect).result_processor(dialect, None)


def _sqlite_datetime(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)


def _bind_processor(type_: TypeEngine[Any], dialect: Dialect) -> Processor | None:
    slow = type_.dialect_impl(dialect).bind_processor(dialect)
    if slow is None or dialect.name != "sqlite" or not isinstance(type_, DateTime):
        return slow

    def write(value: Any) -> Any:
        # SQLAlchemy's text for a naive datetime ("2026-11-23 12:00:00.000000"), in a
        # fifth of its time (an audit event binds one per call); anything else is its own.
        if type(value) is datetime and value.tzinfo is None:
            return value.isoformat(" ", "microseconds")
        return slow(value)

    return write
