"""Prepared statements: the few statements every request runs, off SQLAlchemy's execution path."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Connection,
    DateTime,
    Dialect,
    Select,
    bindparam,
    func,
)
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.expression import ClauseElement
from sqlalchemy.types import TypeEngine

Processor = Callable[[Any], Any]


@dataclass(frozen=True)
class _Plan:
    sql: str
    positional: bool
    names: tuple[str, ...]  # bound parameters, in the order the placeholders expect them
    binders: tuple[tuple[str, Processor], ...]  # parameters whose type converts them
    readers: tuple[tuple[int, Processor], ...]  # result columns whose type converts them


class Prepared:
    """A Core statement compiled once per dialect and run straight on the DB-API cursor of a
    unit of work's connection, inside its transaction.

    For the few statements every request runs (key lookup, nonce and ClientToken claims,
    image and share look-ups), where SQLAlchemy's per-execution machinery costs several
    times the database's own work (docs/performance.md). It stays one definition for both
    databases: the SQL is SQLAlchemy's own compilation, values go through each type's bind
    processor and results through its result processor, so nothing is stored or read
    differently from ``Connection.execute``. Driver errors are not wrapped in SQLAlchemy's
    exceptions.
    """

    def __init__(
        self, statement: ClauseElement | Mapping[str, ClauseElement], *, columns: Sequence[str] = ()
    ) -> None:
        """``statement``: one for every dialect, or one per dialect name; ``columns``: the
        columns an INSERT without ``values()`` sets, named in the parameters."""
        self._statement = statement
        self._columns = list(columns) or None
        self._plans: dict[str, _Plan] = {}

    def rows(self, conn: Connection, params: Mapping[str, Any]) -> list[tuple[Any, ...]]:
        plan = self._plans.get(conn.dialect.name) or self._plan(conn.dialect)
        if plan.binders:
            params = dict(params)
            for name, bind in plan.binders:
                params[name] = bind(params[name])
        if plan.positional:
            args: Sequence[Any] | Mapping[str, Any] = [params[name] for name in plan.names]
        else:
            args = params
        cursor = conn.connection.cursor()
        try:
            cursor.execute(plan.sql, args)
            # Both drivers fetch a list of tuples.
            found = cast(list[tuple[Any, ...]], cursor.fetchall() if cursor.description else [])
        finally:
            cursor.close()
        if not plan.readers or not found:
            return found
        return [_convert(row, plan.readers) for row in found]

    def _plan(self, dialect: Dialect) -> _Plan:
        statement = self._statement
        if isinstance(statement, Mapping):
            statement = statement[dialect.name]
        compiled = statement.compile(dialect=dialect, column_keys=self._columns)
        assert isinstance(compiled, SQLCompiler) and not compiled.escaped_bind_names
        names = tuple(compiled.positiontup or ()) if compiled.positional else tuple(compiled.binds)
        binders = tuple(
            (name, bind)
            for name in names
            if (bind := compiled.binds[name].type.dialect_impl(dialect).bind_processor(dialect))
        )
        columns = getattr(statement, "exported_columns", ())
        readers = tuple(
            (index, read)
            for index, column in enumerate(columns)
            if (read := _result_processor(column.type, dialect))
        )
        plan = _Plan(compiled.string, compiled.positional, names, binders, readers)
        self._plans[dialect.name] = plan
        return plan


class CountedPage:
    """One page of a listing and how many rows the listing has in all.

    On PostgreSQL one statement: the page with ``COUNT(*) OVER ()`` as its last column, a
    round trip fewer than a count and a page (each costs psycopg about 40 us of CPU and a
    wait for the server, docs/performance.md); a page past the end has no row to carry the
    count, and then the count runs alone. On SQLite the count and the page, two statements:
    the window function there measured 5 % more instructions per read (fourth round).
    """

    def __init__(
        self, count: Select[Any], page: Select[Any], *, postgresql_page: Select[Any] | None = None
    ) -> None:
        """``postgresql_page``: the same page written as PostgreSQL plans it better."""
        self._count = Prepared(count)
        self._page = Prepared(page)
        counted = page if postgresql_page is None else postgresql_page
        self._counted = Prepared(counted.add_columns(func.count().over()))

    def rows(
        self, conn: Connection, params: Mapping[str, Any]
    ) -> tuple[int, list[tuple[Any, ...]]]:
        """(rows in all, the page's rows); ``params`` serves both statements."""
        if conn.dialect.name != "postgresql":
            ((total,),) = self._count.rows(conn, params)
            return total, self._page.rows(conn, params)
        counted = self._counted.rows(conn, params)
        if counted:
            return int(counted[0][-1]), [row[:-1] for row in counted]
        ((total,),) = self._count.rows(conn, params)
        return int(total), []


def _convert(row: tuple[Any, ...], readers: tuple[tuple[int, Processor], ...]) -> tuple[Any, ...]:
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


def id_binds(column: ColumnElement[Any], count: int) -> list[BindParameter[Any]]:
    """``count`` parameters of ``column``'s type, ``id_0`` to ``id_{count-1}``: for a
    ``column.in_(...)`` prepared for lists of one length (lists on the request path are a
    page long at most, so a statement per length stays a handful)."""
    return [bindparam(f"id_{index}", type_=column.type) for index in range(count)]


def id_params(values: Sequence[Any]) -> dict[str, Any]:
    """The parameters of a statement built with ``id_binds``."""
    return {f"id_{index}": value for index, value in enumerate(values)}
