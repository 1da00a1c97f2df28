"""What each SDK exposes of an error, gathered into one shape the tests can compare."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from aliyunsdkcore.acs_exception.exceptions import ServerException
from Tea.exceptions import TeaException


@dataclass(frozen=True)
class SdkError:
    code: str
    status: int
    request_id: str
    message: str
    data: dict[str, Any]


def tea_error(call: Callable[[], object]) -> SdkError:
    """Run a tea-SDK call that must fail; return what the SDK raised."""
    with pytest.raises(TeaException) as info:
        call()
    error: Any = info.value
    assert error.request_id, "the SDK must expose a RequestId"
    return SdkError(error.code, error.status_code, error.request_id, error.message, error.data)


def old_error(call: Callable[[], object]) -> SdkError:
    """Run an aliyun-python-sdk-core call that must fail; return what the SDK raised."""
    with pytest.raises(ServerException) as info:
        call()
    error = info.value
    assert error.get_request_id(), "the SDK must expose a RequestId"
    return SdkError(
        error.get_error_code(),
        error.get_http_status(),
        error.get_request_id(),
        error.get_error_msg(),
        {},
    )
