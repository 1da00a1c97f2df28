"""The state document's codec and checks, without a database: every column of every state
table has a JSON form, values survive JSON both ways, and each malformation is refused with
the place it went wrong."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import BigInteger, Boolean, Column, DateTime, Integer, MetaData, String, Table, Text

from imageshare.store.state import (
    FORMAT,
    FORMAT_VERSION,
    NOT_STATE,
    SchemaMismatch,
    parse_document,
    state_tables,
)
from imageshare.store.state_codec import (
    StateFormatError,
    codec_for,
    decode_rows,
    encode_row,
    table_codecs,
)
from imageshare.store.tables import metadata

# A small schema of every supported type, so the tests do not depend on today's tables.
sample = Table(
    "sample",
    MetaData(),
    Column("id", BigInteger, primary_key=True, autoincrement=False),
    Column("count", Integer, nullable=False),
    Column("flag", Boolean, nullable=False, default=False),
    Column("code", String(8), nullable=False),
    Column("note", Text, nullable=True),
    Column("at", DateTime, nullable=False),
)

GOOD = {
    "id": 1234567890123456,
    "count": 3,
    "flag": True,
    "code": "abc",
    "note": None,
    "at": "2026-11-23T12:00:00.000001Z",
}


def test_every_column_of_every_state_table_has_a_codec() -> None:
    # A table someone adds with a type the codec does not know fails here, not for a user.
    for table in state_tables():
        assert len(table_codecs(table)) == len(table.columns)


def test_state_tables_are_every_table_but_imageshares_own_in_dependency_order() -> None:
    names = [table.name for table in state_tables()]
    assert set(names) == {t.name for t in metadata.sorted_tables} - NOT_STATE
    assert "imageshare_snapshots" not in names and "alembic_version" not in names
    position = {name: i for i, name in enumerate(names)}
    for table in state_tables():
        for key in table.foreign_keys:
            assert position[key.column.table.name] < position[table.name], key


def test_a_type_without_a_codec_names_the_column_and_the_fix() -> None:
    from sqlalchemy import Float

    odd = Table("odd", MetaData(), Column("ratio", Float))
    with pytest.raises(TypeError, match=r"odd\.ratio .* add a codec in imageshare.store"):
        codec_for(odd.c.ratio)


def _round_trip(row: dict[str, Any]) -> dict[str, Any]:
    document = json.loads(json.dumps(encode_row(sample, row)))
    return decode_rows(sample, [document])[0]


@given(
    id=st.integers(min_value=-(2**63), max_value=2**63 - 1),
    count=st.integers(min_value=-(2**31), max_value=2**31 - 1),
    flag=st.booleans(),
    code=st.text(max_size=8),
    note=st.none() | st.text(),
    at=st.datetimes(),
)
def test_values_survive_json_unchanged(
    id: int, count: int, flag: bool, code: str, note: str | None, at: datetime
) -> None:
    row = {"id": id, "count": count, "flag": flag, "code": code, "note": note, "at": at}
    assert _round_trip(row) == row


def test_datetimes_are_utc_with_a_z_and_offsets_are_converted() -> None:
    moment = datetime(2026, 11, 23, 12, 0, 0, 5)
    assert encode_row(sample, {**_decoded(GOOD), "at": moment})["at"] == (
        "2026-11-23T12:00:00.000005Z"
    )
    aware = moment.replace(tzinfo=timezone(timedelta(hours=8)))
    assert encode_row(sample, {**_decoded(GOOD), "at": aware})["at"] == (
        "2026-11-23T04:00:00.000005Z"
    )


@pytest.mark.parametrize(
    "written", ["2026-11-23T20:00:00+08:00", "2026-11-23T12:00:00Z", "2026-11-23T12:00:00"]
)
def test_a_datetime_read_back_is_naive_utc_whatever_its_offset(written: str) -> None:
    decoded = _decoded({**GOOD, "at": written})["at"]
    assert decoded == datetime(2026, 11, 23, 12) and decoded.tzinfo is None, written


def _decoded(row: dict[str, Any]) -> dict[str, Any]:
    return decode_rows(sample, [row])[0]


def test_missing_columns_take_null_or_the_schema_default() -> None:
    row = {key: value for key, value in GOOD.items() if key not in ("note", "flag")}
    decoded = _decoded(row)
    assert decoded["note"] is None and decoded["flag"] is False


BAD_ROWS = [
    ({**GOOD, "id": "1234"}, "tables.sample[0].id must be an integer, not '1234'"),
    ({**GOOD, "count": True}, "tables.sample[0].count must be an integer, not True"),
    ({**GOOD, "count": 1.5}, "tables.sample[0].count must be an integer, not 1.5"),
    ({**GOOD, "flag": "true"}, "tables.sample[0].flag must be true or false, not 'true'"),
    ({**GOOD, "flag": 1}, "tables.sample[0].flag must be true or false, not 1"),
    ({**GOOD, "code": 7}, "tables.sample[0].code must be a string, not 7"),
    (
        {**GOOD, "code": "123456789"},
        "tables.sample[0].code must be a string of at most 8 characters, not '123456789'",
    ),
    (
        {**GOOD, "at": "yesterday"},
        "tables.sample[0].at must be an ISO 8601 date-time string, not 'yesterday'",
    ),
    ({**GOOD, "at": 1700000000}, "tables.sample[0].at must be an ISO 8601 date-time string"),
    ({**GOOD, "count": None}, "tables.sample[0].count must not be null"),
    ({key: v for key, v in GOOD.items() if key != "code"}, "missing column 'code'"),
    ({**GOOD, "extra": 1}, "tables.sample[0] has unknown columns ['extra']"),
    (["not", "an", "object"], "tables.sample[0] must be an object of column name to value"),
]


@pytest.mark.parametrize(("row", "message"), BAD_ROWS, ids=[m[:40] for _, m in BAD_ROWS])
def test_bad_values_are_refused_with_their_place(row: Any, message: str) -> None:
    with pytest.raises(StateFormatError) as info:
        decode_rows(sample, [row])
    assert message in str(info.value)


def test_rows_must_be_a_list() -> None:
    with pytest.raises(StateFormatError, match="tables.sample must be a list of rows"):
        decode_rows(sample, {"id": 1})


def _document(**over: Any) -> dict[str, Any]:
    base = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "schema_revision": "0005",
        "tables": {"sample": [GOOD]},
    }
    return {**base, **over}


BAD_DOCUMENTS = [
    ([], StateFormatError, 'not an imageshare state document: "format" must be'),
    (_document(format="moto"), StateFormatError, "not an imageshare state document"),
    (_document(format_version=2), StateFormatError, '"format_version" 2 is not supported'),
    (_document(schema_revision="0001"), SchemaMismatch, "exported at schema revision '0001'"),
    (_document(tables=[]), StateFormatError, '"tables" must be an object'),
    (_document(tables={"users": []}), StateFormatError, "unknown tables ['users']"),
]


@pytest.mark.parametrize(
    ("document", "error", "message"), BAD_DOCUMENTS, ids=[m[:30] for *_, m in BAD_DOCUMENTS]
)
def test_bad_documents_are_refused(document: Any, error: type[Exception], message: str) -> None:
    with pytest.raises(error) as info:
        parse_document(document, [sample], "0005")
    assert message in str(info.value)


def test_a_schema_mismatch_says_how_to_get_a_matching_export() -> None:
    with pytest.raises(SchemaMismatch) as info:
        parse_document(_document(schema_revision="0004"), [sample], "0005")
    assert "'0005'" in str(info.value) and "imageshare db upgrade" in str(info.value)


def test_a_table_left_out_of_the_document_is_empty() -> None:
    other = Table("other", sample.metadata, Column("id", Integer, primary_key=True))
    parsed = parse_document(_document(), [sample, other], "0005")
    assert parsed["other"] == [] and len(parsed["sample"]) == 1
