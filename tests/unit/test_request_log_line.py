"""The request log's text line, as a pure unit: whatever text a caller puts in the fields it
controls, the line stays one line of key=value pairs that parse back to the entry."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

from hypothesis import example, given
from hypothesis import strategies as st

from imageshare.http.requestlog import RequestEntry, TextFormatter

FIELDS = [
    "request_id",
    "product",
    "version",
    "action",
    "account_id",
    "principal_type",
    "principal_name",
    "source_ip",
    "status",
    "error_code",
    "duration_ms",
]


def parsed(line: str) -> dict[str, str]:
    """key=value pairs split on the spaces between them; a JSON-quoted value is unquoted."""
    fields, rest = {}, line
    while rest:
        key, _, rest = rest.partition("=")
        if rest.startswith('"'):
            value, end = json.JSONDecoder().raw_decode(rest)
            rest = rest[end:].removeprefix(" ")
        else:
            value, _, rest = rest.partition(" ")
        fields[key] = value
    return fields


def entry(version: str, action: str, name: str, address: str) -> RequestEntry:
    return RequestEntry(
        "3C1B0B4E-0C4A-4C1B-9A65-0123456789AB",
        "swas",
        version,
        action,
        1234567890123456,
        "user",
        name,
        address,
        400,
        "InvalidParameter",
        0.5,
    )


@given(st.text(), st.text(), st.text(), st.text())
@example('List"Regions\nforged=line', "a b", "=", "\\")
@example("", "", "", "\x7f")
def test_a_line_parses_back_whatever_the_callers_text(
    version: str, action: str, name: str, address: str
) -> None:
    line = str(entry(version, action, name, address))
    assert "\n" not in line and "\r" not in line
    fields = parsed(line)
    assert list(fields) == FIELDS
    sent = {"version": version, "action": action, "principal_name": name, "source_ip": address}
    assert {k: fields[k] for k in sent} == {k: v or "-" for k, v in sent.items()}
    assert (fields["account_id"], fields["status"], fields["duration_ms"]) == (
        "1234567890123456",
        "400",
        "0.5",
    )


def test_nothing_is_a_dash() -> None:
    empty = RequestEntry("R", "", "", "", None, "", "", "", 0, "", 0.0)
    assert parsed(str(empty))["account_id"] == parsed(str(empty))["product"] == "-"


@given(st.floats(min_value=0, max_value=4102444800, allow_nan=False))
def test_the_time_is_utc_cut_to_the_millisecond(created: float) -> None:
    record = logging.LogRecord("imageshare.requests", logging.INFO, "", 0, "m", None, None)
    record.created = created
    stamp = TextFormatter().format(record).split(" ")[0]
    assert len(stamp) == len("2026-12-06T19:30:00.000Z") and stamp.endswith("Z")
    shown = datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC).timestamp()
    assert 0 <= created - shown < 0.001 + 1e-6  # cut, never rounded up into the next second
