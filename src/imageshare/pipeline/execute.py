"""Run an action: idempotency claim and the handler in one transaction, committed together.

A failed request rolls back its ClientToken claim too, so a retry after an error simply runs.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import orjson
from pydantic import BaseModel

from imageshare.api.models import IdempotentRequest
from imageshare.api.registry import Action, Call
from imageshare.errors import IdempotentParameterMismatch, ServiceUnavailable
from imageshare.store.uow import UnitOfWork

# Writes the call's audit event into the unit of work, just before it commits; gets the answer
# too, which names what the call made (a new image's ImageId).
Recorder = Callable[[UnitOfWork, dict[str, Any]], None]


def params_hash(request: BaseModel) -> str:
    values = request.model_dump(mode="json", exclude={"client_token"})
    return hashlib.sha256(canonical_json(values)).hexdigest()


def canonical_json(values: dict[str, Any]) -> bytes:
    """``json.dumps(values, sort_keys=True, separators=(",", ":"))``, the form the stored
    hashes of ClientToken records were made from, so they stay valid across versions.

    orjson writes the same bytes for ASCII text (and request models hold no floats, the one
    other place they differ) in a twentieth of the time. json.dumps escapes non-ASCII, which
    orjson does not, and orjson refuses integers beyond 64 bits: those take the slow path.
    """
    try:
        encoded = orjson.dumps(values, option=orjson.OPT_SORT_KEYS)
        # DEL is ASCII that json.dumps escapes (\u007f) and orjson does not.
        if encoded.isascii() and b"\x7f" not in encoded:
            return encoded
    except TypeError:  # an integer beyond 64 bits
        pass
    return json.dumps(values, sort_keys=True, separators=(",", ":")).encode("ascii")


def stored_response(data: dict[str, Any]) -> str:
    """The response kept for a ClientToken's retries, as JSON text: orjson's in a tenth of
    json.dumps' time; the rare value orjson refuses (an integer beyond 64 bits, a key that is
    not a string) takes json.dumps. Either reads back the same with json.loads."""
    try:
        return orjson.dumps(data).decode()
    except TypeError:
        return json.dumps(data)


def client_token(action: Action[Any], request: BaseModel) -> str | None:
    """The request's ClientToken if the action replays it (a change whose request is an
    ``IdempotentRequest``); a ClientToken on a read is validated and otherwise ignored."""
    if not action.idempotent or not isinstance(request, IdempotentRequest):
        return None
    return request.client_token or None


def execute(
    call: Call, action: Action[Any], request: BaseModel, record: Recorder | None = None
) -> dict[str, Any]:
    """Run ``action`` inside ``call.uow`` and commit, with its audit event when ``record``
    is given: the change and its event commit together, or neither does.

    :raises IdempotentParameterMismatch: the token was used before with other parameters.
    """
    token = client_token(action, request)
    if token is None:
        data = action.handler(call, request)
        _commit(call.uow, record, data)
        return data
    account, key, digest = call.principal.account_id, action.ram_action, params_hash(request)
    window = timedelta(seconds=call.settings.client_token_window_seconds)
    earlier = call.uow.idempotency.claim(account, key, token, digest, call.now, call.now - window)
    if earlier is not None:
        if earlier.params_hash != digest:
            raise IdempotentParameterMismatch()
        if earlier.response is None:  # pragma: no cover - a claim is completed before commit
            raise ServiceUnavailable()
        replayed: dict[str, Any] = json.loads(earlier.response)
        # The replay changes nothing, but it is a call all the same (and its nonce is used).
        _commit(call.uow, record, replayed)
        return replayed
    data = action.handler(call, request)
    call.uow.idempotency.complete(account, key, token, stored_response(data))
    _commit(call.uow, record, data)
    return data


def _commit(uow: UnitOfWork, record: Recorder | None, data: dict[str, Any]) -> None:
    if record is not None:
        record(uow, data)
    uow.commit()
