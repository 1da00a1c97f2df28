"""Console sign-in: the admin token, typed once, becomes a cookie that is not the token.

The cookie holds an HMAC of a fixed label under the admin token: it proves the browser was
given the token without storing the token itself, and it changes when the token does (a new
``--admin-token`` signs every browser out). Forms carry a second HMAC (``csrf``) that a page
of another site cannot read; the cookie is also ``SameSite=Strict`` and ``HttpOnly``.
"""

from __future__ import annotations

import hashlib
import hmac

COOKIE = "imageshare_console"
PATH = "/console/"


def _mac(token: str, label: str) -> str:
    return hmac.new(token.encode("utf-8"), label.encode("ascii"), hashlib.sha256).hexdigest()


def session_value(token: str) -> str:
    return _mac(token, "imageshare-console-session-v1")


def csrf_value(token: str) -> str:
    return _mac(token, "imageshare-console-csrf-v1")


def token_matches(given: str, token: str) -> bool:
    return hmac.compare_digest(given.encode("utf-8"), token.encode("utf-8"))


def signed_in(cookies: dict[str, str], token: str) -> bool:
    return hmac.compare_digest(cookies.get(COOKIE, "").encode(), session_value(token).encode())


def csrf_ok(form: dict[str, str], token: str) -> bool:
    return hmac.compare_digest(form.get("csrf", "").encode(), csrf_value(token).encode())


def set_cookie(token: str, secure: bool) -> bytes:
    flags = "; Secure" if secure else ""
    value = session_value(token)
    return f"{COOKIE}={value}; Path={PATH}; HttpOnly; SameSite=Strict{flags}".encode("ascii")


def clear_cookie() -> bytes:
    return f"{COOKIE}=; Path={PATH}; HttpOnly; SameSite=Strict; Max-Age=0".encode("ascii")


def parse_cookies(header: str) -> dict[str, str]:
    cookies = {}
    for part in header.split(";"):
        name, _, value = part.strip().partition("=")
        if name:
            cookies[name] = value
    return cookies
