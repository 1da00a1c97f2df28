"""The official SDKs, imported only when a test asks for a client, with an error that says
which package to install when one is missing (they are test dependencies, not imageshare's)."""

from __future__ import annotations

import importlib
import secrets
from types import ModuleType

# module -> the PyPI package that provides it
PACKAGES = {
    "alibabacloud_tea_openapi.models": "alibabacloud-tea-openapi",
    "alibabacloud_swas_open20200601.client": "alibabacloud-swas-open20200601",
    "alibabacloud_swas_open20200601.models": "alibabacloud-swas-open20200601",
    "alibabacloud_ecd20200930.client": "alibabacloud-ecd20200930",
    "alibabacloud_ecs20140526.client": "alibabacloud-ecs20140526",
    "aliyunsdkcore.client": "aliyun-python-sdk-core",
    "alibabacloud_actiontrail20200706.client": "alibabacloud-actiontrail20200706",
}


class SdkMissing(ImportError):
    """An official SDK a helper needs is not installed; the message names the package."""


def sdk(module: str) -> ModuleType:
    """Import an SDK module.

    :raises SdkMissing: it is not installed (the message says what to ``pip install``).
    """
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as exc:
        package = PACKAGES.get(module, module.split(".")[0])
        raise SdkMissing(
            f"this imageshare test helper needs the official SDK {package!r}: pip install {package}"
        ) from exc


def unique_name(prefix: str) -> str:
    """``prefix`` and eight random hex digits: a name no other test will have taken."""
    return f"{prefix}-{secrets.token_hex(4)}"
