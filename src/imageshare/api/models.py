"""Shared pieces of request models: PascalCase wire names, ClientToken and RegionId rules."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict
from pydantic.alias_generators import to_pascal


def _client_token(value: str) -> str:
    if len(value) > 64:
        raise ValueError("ClientToken must be at most 64 characters")
    if not value.isascii():
        raise ValueError("ClientToken must contain only ASCII characters")
    return value


ClientToken = Annotated[str, AfterValidator(_client_token)]


class RpcRequest(BaseModel):
    """Base of every action's request model.

    Unknown parameters are ignored, as the real gateway does: the old SDK adds RegionId to
    every request, and SDK upgrades add optional parameters before servers know them.
    """

    model_config = ConfigDict(
        alias_generator=to_pascal, populate_by_name=True, extra="ignore", frozen=True
    )


class IdempotentRequest(RpcRequest):
    """Base of a request that takes a ClientToken: on a change (``Action.mutating``), a retry
    with the same token and parameters replays the first response (pipeline/execute.py); on
    a read it is validated and otherwise ignored."""

    client_token: ClientToken | None = None
