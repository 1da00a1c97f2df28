"""``GET /_imageshare/credentials?account=ID&role=NAME[&duration=S]&token=ADMIN_TOKEN``: a
role's STS credentials in the JSON the credentials library's URI provider reads
(``ALIBABA_CLOUD_CREDENTIALS_URI``; docs/credentials.md)::

    {"Code": "Success", "AccessKeyId": "STS....", "AccessKeySecret": "...",
     "SecurityToken": "...", "Expiration": "2026-12-06T15:04:05Z"}

Each request issues a new session (as the platform issues one: no caller assumes the role),
so a client that fetches again before ``Expiration`` gets fresh credentials; the library does
so on its own as expiry nears. The admin token travels in the query because the URI provider
can send nothing but the URI; the rest of the admin API takes it only as a bearer header.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from imageshare.domain import ram
from imageshare.domain.times import wire_time
from imageshare.errors import ServiceError
from imageshare.http.admin_wire import AdminRequest, AdminRequestError, Reply
from imageshare.pipeline.wire_values import parse_long
from imageshare.services import sts

if TYPE_CHECKING:
    from imageshare.http.admin import AdminApp

SESSION_NAME = "credentials-uri"


def _parameters(query: dict[str, list[str]]) -> tuple[int, str, int]:
    """(account, role, duration).

    :raises ValueError: a parameter missing or malformed (the message names it).
    """
    account, role = query.get("account", [""])[-1], query.get("role", [""])[-1]
    duration = query.get("duration", [str(ram.SESSION_DURATION_DEFAULT)])[-1]
    account_id, seconds = parse_long(account), parse_long(duration)
    if account_id is None or account_id < 0:
        raise ValueError("give account=<account id>")
    if not role:
        raise ValueError("give role=<role name>")
    if seconds is None or seconds < 0:
        raise ValueError("duration must be a number of seconds")
    return account_id, role, seconds


def _issue(app: AdminApp, account: int, role: str, duration: int) -> sts.Session:
    request = sts.SessionRequest(ram.role_arn(account, role), SESSION_NAME, duration)
    with app.store.unit_of_work(write=True) as uow:
        session = sts.issue_session(uow, request, uow.clock.now())
        uow.commit()
    return session


async def credentials(app: AdminApp, request: AdminRequest) -> Reply:
    try:
        account, role, duration = _parameters(request.query)
    except ValueError as error:
        raise AdminRequestError(400, "InvalidParameter", str(error)) from None
    try:
        session = await asyncio.to_thread(_issue, app, account, role, duration)
    except ServiceError as error:
        raise AdminRequestError(error.http_status, error.code, error.message) from None
    token = session.token
    body: dict[str, Any] = {
        "Code": "Success",
        "AccessKeyId": token.access_key_id,
        "AccessKeySecret": token.secret,
        "SecurityToken": token.token,
        "Expiration": wire_time(token.expires_at),
    }
    return 200, body
