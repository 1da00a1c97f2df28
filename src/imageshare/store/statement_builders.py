"""What a repository declares its statements with (each runs as a ``Statement``,
store/statement.py): typed parameters (``bind``, ``id_binds``/``in_binds``, ``LIMIT`` and
``OFFSET``) and their values (``id_params``, ``escape_like``), one-row INSERTs (``insert_row``,
``insert_if_new``), column lists for an entity (``fields_of``) and a paged listing with its
count (``CountedPage``). All of it runs once, when a statement is declared, never per call.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import (
    BigInteger,
    BindParameter,
    ColumnElement,
    Integer,
    Select,
    Table,
    bindparam,
    false,
    func,
    insert,
    select,
)
from sqlalchemy.dialects import postgresql, sqlite

from imageshare.store.statement import Db, Row, Statement

# Paging parameters: LIMIT :limit OFFSET :offset (SQLite writes an OFFSET for every LIMIT).
LIMIT = bindparam("limit", type_=Integer())
# A 64-bit offset: a PageNumber far past the last page (up to the largest long, capped in
# domain.images.Page) is an empty page, not "integer out of range" on PostgreSQL.
OFFSET = bindparam("offset", type_=BigInteger())


def bind(column: ColumnElement[Any], name: str | None = None) -> BindParameter[Any]:
    """A parameter of ``column``'s type, named after it unless ``name`` is given."""
    return bindparam(name or column.key, type_=column.type)


def insert_row(table: Table, names: Sequence[str] | None = None) -> Statement:
    """``INSERT`` of one row whose values are named like the columns (all, or ``names``)."""
    columns = [table.c[name] for name in names] if names else list(table.c)
    return Statement(insert(table).values({c.key: bind(c) for c in columns}))


def insert_if_new(table: Table, names: Sequence[str] | None = None) -> Statement:
    """``INSERT ... ON CONFLICT DO NOTHING RETURNING`` the key: a row back when it went in.

    On PostgreSQL a concurrent inserter of the same key waits for the first transaction to
    end, which is what makes ClientToken and nonce claims race-free. RETURNING, not rowcount:
    psycopg reports no rowcount for ON CONFLICT DO NOTHING.
    """
    columns = [table.c[name] for name in names] if names else list(table.c)
    values = {c.key: bind(c) for c in columns}
    key = next(iter(table.primary_key.columns))
    return Statement(
        {
            name: module.insert(table).values(values).on_conflict_do_nothing().returning(key)
            for name, module in (("sqlite", sqlite), ("postgresql", postgresql))
        }
    )


def id_binds(
    column: ColumnElement[Any], count: int, prefix: str = "id"
) -> list[BindParameter[Any]]:
    """``count`` parameters of ``column``'s type, ``id_0`` to ``id_{count-1}`` (or another
    ``prefix``): for a
    ``column.in_(...)`` compiled for lists of one length (lists on the request path are a
    page long at most, so a statement per length stays a handful)."""
    return [bindparam(f"{prefix}_{index}", type_=column.type) for index in range(count)]


def in_binds(column: ColumnElement[Any], count: int, prefix: str = "id") -> ColumnElement[bool]:
    """``column IN (:id_0, ...)`` for ``count`` values; none matches nothing (an empty IN would
    bind a list, which a compiled statement cannot)."""
    return column.in_(id_binds(column, count, prefix)) if count else false()


def escape_like(text: str) -> str:
    """``text`` matched literally by ``LIKE ... ESCAPE '\\'``: its %, _ and \\ escaped."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def id_params(values: Sequence[Any], prefix: str = "id") -> dict[str, Any]:
    """The parameters of a statement built with ``id_binds``."""
    return {f"{prefix}_{index}": value for index, value in enumerate(values)}


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
        self.count = Statement(count)
        self.page = Statement(page)
        counted = page if postgresql_page is None else postgresql_page
        # The page with its total as a last column (PostgreSQL's form).
        self.counted = Statement(counted.add_columns(func.count().over()))

    @classmethod
    def of(cls, query: Select[Any], *order_by: ColumnElement[Any]) -> CountedPage:
        """The count of ``query``'s rows and a page of them in this order (LIMIT, OFFSET)."""
        count = select(func.count()).select_from(query.subquery())
        return cls(count, query.order_by(*order_by).limit(LIMIT).offset(OFFSET))

    def rows(self, db: Db, params: Mapping[str, Any]) -> tuple[int, list[Row]]:
        """(rows in all, the page's rows); ``params`` serves both statements."""
        if db.name != "postgresql":
            return int(self.count.scalar(db, params)), self.page.rows(db, params)
        counted = self.counted.rows(db, params)
        if counted:
            return int(counted[0][-1]), [row[:-1] for row in counted]
        return int(self.count.scalar(db, params)), []


def fields_of(table: Table, entity: type[Any]) -> list[ColumnElement[Any]]:
    """``table``'s columns in the order of ``entity``'s dataclass fields: select these and
    build the entity with ``entity(*row)``."""
    return [table.c[field.name] for field in dataclasses.fields(entity)]
