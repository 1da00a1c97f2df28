"""Shared pieces of request models: PascalCase wire names, ClientToken and RegionId rules,
id lists sent as one string holding a JSON array."""

from __future__ import annotations

import json
import re
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field
from pydantic.alias_generators import to_pascal

# The longest text any parameter may hold unless its field documents its own bound: RAM's
# descriptions (1,024) are the longest documented text that is not a policy document.
TEXT_CEILING = 1024
# Policy documents: the service measures the documented limits (6,144 and 2,048 characters)
# and answers RAM's own error codes; this ceiling only stops what is far past any of them.
POLICY_TEXT_CEILING = 16384
# Refused in every parameter: PostgreSQL cannot store NUL, and none of the others belongs in a
# name, id or description. Tab, line feed and carriage return may appear in free text.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def json_array(example: str, *, commas: bool = False) -> BeforeValidator:
    """A list parameter sent as ONE string holding a JSON array of strings (SWAS's
    ``ImageIds=["m-1","m-2"]``, ECS's ``InstanceIds``); ``example`` shows one in the error.
    ``commas``: a bare comma-separated list is accepted too (SWAS's docs also say "separate
    multiple IDs with commas")."""
    problem = f"must be a JSON array of strings, e.g. {example}"

    def parse(value: Any) -> Any:
        if not isinstance(value, str):
            return value
        text = value.strip()
        if commas and not text.startswith("["):
            return [item.strip() for item in text.split(",") if item.strip()]
        try:
            items = json.loads(text)
        except (ValueError, RecursionError):  # not JSON, a 5,000-digit number, 1,000 "["s
            raise ValueError(problem) from None
        if not isinstance(items, list) or not all(isinstance(item, str) for item in items):
            raise ValueError(problem)
        # "\u0000" inside the JSON is a NUL once decoded: checked here, as the raw text was.
        if any(CONTROL_CHARACTERS.search(item) for item in items):
            raise ValueError("control characters are not allowed")
        return items

    return BeforeValidator(parse)


def _client_token(value: str) -> str:
    if len(value) > 64:
        raise ValueError("ClientToken must be at most 64 characters")
    if not value.isascii():
        raise ValueError("ClientToken must contain only ASCII characters")
    return value


ClientToken = Annotated[str, AfterValidator(_client_token)]


class ParsesOwnText:
    """Marks a field whose validators read its wire text themselves (``Annotated[list[int],
    PARSES_OWN_TEXT, BeforeValidator(...)]``): the edge then refuses only control characters
    in it, not text that is no plain integer or boolean (ECS documents its account lists as
    strings, and answers an account id that is no number InvalidAccount.NotFound). Such a
    validator must itself keep numbers within 64 bits."""


PARSES_OWN_TEXT = ParsesOwnText()
PolicyText = Annotated[str, Field(max_length=POLICY_TEXT_CEILING)]


class RpcRequest(BaseModel):
    """Base of every action's request model.

    Unknown parameters are ignored, as the real gateway does: the old SDK adds RegionId to
    every request, and SDK upgrades add optional parameters before servers know them. Text is
    at most ``TEXT_CEILING`` characters unless a field says otherwise; integers, booleans and
    control characters are checked before the model sees them (``pipeline/wire_values.py``).
    """

    model_config = ConfigDict(
        alias_generator=to_pascal,
        populate_by_name=True,
        extra="ignore",
        frozen=True,
        str_max_length=TEXT_CEILING,
    )


class IdempotentRequest(RpcRequest):
    """Base of a request that takes a ClientToken: on a change (``Action.mutating``), a retry
    with the same token and parameters replays the first response (pipeline/execute.py); on
    a read it is validated and otherwise ignored."""

    client_token: ClientToken | None = None
