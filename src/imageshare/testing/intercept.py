"""Send every official-SDK request to one imageshare server, whatever address it was built for.

The narrowest points where the SDKs hand a finished request to the network:

* ``darabonba.core.DaraCore.do_action`` / ``async_do_action``: every tea-SDK client built on
  ``alibabacloud_tea_openapi`` >= 0.4 (SWAS, ECD, ECS, RAM, STS, ...), sync and ``*_async``;
* ``Tea.core.TeaCore.do_action`` / ``async_do_action``: older tea SDKs and the credential
  providers of ``alibabacloud_credentials`` (RamRoleArn's AssumeRole, the credentials URI);
* ``aliyunsdkcore.http.http_response.HttpResponse.get_response_object``: the old SDK's
  ``AcsClient`` (its location-service endpoint look-ups too).

Each replacement takes the request exactly as the SDK built it (method, path, query, headers,
body) and sends it over plain HTTP to 127.0.0.1:PORT. The ``Host`` header is left as the SDK
wrote it: the ACS3 signature covers it, so rerouting changes where a request goes, never what
it says. Streaming (server-sent events) calls fail at once: imageshare serves none.
"""

from __future__ import annotations

import asyncio
import http.client
import importlib
import inspect
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlencode

from imageshare.values import frozen

# Long enough for any emulated action on a loaded machine; a hung server still ends the test.
TIMEOUT_SECONDS = 60.0


class NotServed(RuntimeError):
    """A call the in-process imageshare cannot serve (the message names it)."""


@frozen
class Reply:
    status: int
    reason: str
    headers: dict[str, str]
    body: bytes


def send(port: int, method: str, target: str, headers: dict[str, str], body: bytes) -> Reply:
    """One HTTP exchange with 127.0.0.1:``port``, headers (``Host`` included) as given."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT_SECONDS)
    try:
        # http.client writes no Host of its own when the headers carry one.
        connection.request(method.upper(), target, body=body, headers=headers)
        response = connection.getresponse()
        found = {name.lower(): value for name, value in response.getheaders()}
        return Reply(response.status, response.reason, found, response.read())
    finally:
        connection.close()


def _tea_target(request: Any) -> str:
    """The path and query the tea core would put in its URL (same encoding, ``None`` dropped)."""
    query = {key: str(value) for key, value in (request.query or {}).items() if value is not None}
    path = request.pathname or "/"
    return f"{path}?{urlencode(query)}" if query else path


def _tea_body(body: Any) -> bytes:
    if body is None:
        return b""
    if isinstance(body, str):
        return body.encode("utf-8")
    if isinstance(body, bytes | bytearray):
        return bytes(body)
    return b"".join(bytes(chunk) for chunk in body)  # a tea BaseStream yields chunks


def _tea_headers(request: Any) -> dict[str, str]:
    return {str(name): str(value) for name, value in (request.headers or {}).items()}


def _tea_exchange(port: int, request: Any, response_type: type) -> Any:
    reply = send(
        port, request.method, _tea_target(request), _tea_headers(request), _tea_body(request.body)
    )
    response = response_type()
    response.status_code = reply.status
    response.status_message = reply.reason
    response.headers = reply.headers
    response.body = reply.body
    response.response = None
    return response


def _tea_core_patches(port: int, response_type: type) -> dict[str, Callable[..., Any]]:
    def do_action(request: Any, runtime_option: Any = None) -> Any:
        return _tea_exchange(port, request, response_type)

    async def async_do_action(request: Any, runtime_option: Any = None) -> Any:
        return await asyncio.to_thread(_tea_exchange, port, request, response_type)

    def streaming(request: Any, runtime_option: Any = None) -> Any:
        action = (request.headers or {}).get("x-acs-action", "?")
        raise NotServed(f"imageshare serves no streaming (SSE) call such as {action!r}")

    return {
        "do_action": do_action,
        "async_do_action": async_do_action,
        "do_sse_action": streaming,
        "async_do_sse_action": streaming,
    }


def _old_sdk_patch(port: int) -> Callable[[Any], tuple[int, dict[str, str], bytes]]:
    def get_response_object(self: Any) -> tuple[int, dict[str, str], bytes]:
        headers = {str(k): str(v) for k, v in (self.get_headers() or {}).items()}
        if not any(name.lower() == "host" for name in headers):
            # What requests would have sent: the resolved endpoint, without a scheme.
            headers["Host"] = self.get_host().split("://", 1)[-1].rstrip("/")
        body = self.get_body() or b""
        if isinstance(body, str):
            body = body.encode("utf-8")
        reply = send(port, self.get_method(), self.get_url(), headers, body)
        return reply.status, reply.headers, reply.body

    return get_response_object


def _targets(port: int) -> Iterator[tuple[str, str, dict[str, Callable[..., Any]]]]:
    """(module, class, {attribute: replacement}) for every SDK transport that may be installed."""
    yield "darabonba.core", "DaraCore", _tea_core_patches(port, _response_type("darabonba"))
    yield "Tea.core", "TeaCore", _tea_core_patches(port, _response_type("Tea"))
    yield (
        "aliyunsdkcore.http.http_response",
        "HttpResponse",
        {"get_response_object": _old_sdk_patch(port)},
    )


def _response_type(package: str) -> type:
    try:
        module = importlib.import_module(f"{package}.response")
    except ModuleNotFoundError:
        return object
    found: type = getattr(module, "DaraResponse" if package == "darabonba" else "TeaResponse")
    return found


class Interception:
    """The transports above, rerouted to 127.0.0.1:``port`` while installed."""

    def __init__(self, port: int) -> None:
        self.port = port
        self._saved: list[tuple[type, str, Any]] = []

    def install(self) -> None:
        if self._saved:
            raise RuntimeError("this interception is already installed")
        for module_name, class_name, patches in _targets(self.port):
            try:
                owner = getattr(importlib.import_module(module_name), class_name)
            except ModuleNotFoundError:
                continue  # that SDK is not installed, so nothing can call it
            for attribute, replacement in patches.items():
                if not hasattr(owner, attribute):
                    continue
                original = inspect.getattr_static(owner, attribute)
                self._saved.append((owner, attribute, original))
                is_static = isinstance(original, staticmethod)
                setattr(owner, attribute, staticmethod(replacement) if is_static else replacement)

    def remove(self) -> None:
        """Put every original back, in reverse order."""
        while self._saved:
            owner, attribute, original = self._saved.pop()
            setattr(owner, attribute, original)
