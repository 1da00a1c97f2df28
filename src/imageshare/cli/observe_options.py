"""``serve``'s request-log and metrics options. Workers are separate processes that build their
app from ``IMAGESHARE_*`` variables, so each option's value is handed on in the environment."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any, TypeVar

import click

from imageshare.http.requestlog import LOG_FORMATS, LOG_LEVELS

F = TypeVar("F", bound=Callable[..., Any])


def _hand_on(variable: str) -> Callable[[click.Context, click.Parameter, Any], None]:
    def callback(_ctx: click.Context, _param: click.Parameter, value: Any) -> None:
        if isinstance(value, bool):
            os.environ[variable] = "true" if value else "false"
        elif value is not None:
            os.environ[variable] = str(value)

    return callback


def observe_options(func: F) -> F:
    options = [
        click.option(
            "--log-level",
            envvar="IMAGESHARE_LOG_LEVEL",
            type=click.Choice(LOG_LEVELS, case_sensitive=False),
            default="info",
            show_default=True,
            expose_value=False,
            callback=_hand_on("IMAGESHARE_LOG_LEVEL"),
            help="info logs a line per request (docs/observability.md); warning quiets it.",
        ),
        click.option(
            "--log-format",
            envvar="IMAGESHARE_LOG_FORMAT",
            type=click.Choice(LOG_FORMATS),
            default="text",
            show_default=True,
            expose_value=False,
            callback=_hand_on("IMAGESHARE_LOG_FORMAT"),
            help="Request log lines as key=value text or JSON objects.",
        ),
        click.option(
            "--metrics-require-token",
            envvar="IMAGESHARE_METRICS_REQUIRE_TOKEN",
            is_flag=True,
            expose_value=False,
            callback=_hand_on("IMAGESHARE_METRICS_REQUIRE_TOKEN"),
            help="/metrics asks for the admin token, as /_imageshare/ does.",
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return func
