"""Debian's Chromium driven headless through Selenium: the one browser CI installs (.ci/run).

Outside CI a machine without it skips the browser tests, saying how to install it; in CI
(``CI`` set) a missing browser fails them, so they can never be skipped silently there."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
DRIVER = Path("/usr/bin/chromedriver")
INSTALL = "apt-get install -y chromium chromium-driver"


def chromium_or_skip() -> None:
    missing = [str(p) for p in (CHROMIUM, DRIVER) if not p.exists()]
    if not missing:
        return
    message = f"Chromium is not installed ({', '.join(missing)} missing): {INSTALL}"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def selenium_driver() -> Iterator[object]:
    chromium_or_skip()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in (
        "--headless=new",
        "--no-sandbox",  # CI runs as root
        "--disable-dev-shm-usage",
        "--window-size=1280,900",
        "--disable-gpu",
    ):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(str(DRIVER)), options=options)
    try:
        yield driver
    finally:
        driver.quit()


def keep_screenshot(path: Path) -> None:
    """``IMAGESHARE_SCREENSHOTS=DIR`` copies each screenshot there (docs/img for the docs)."""
    target = os.environ.get("IMAGESHARE_SCREENSHOTS")
    if target:
        Path(target).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(target) / path.name)
