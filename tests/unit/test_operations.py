"""Operations that take time (domain/operations.py): a run's end, every operation's duration
setting, and the status each product shows along the way."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from pydantic import ValidationError

from imageshare.config import Settings, duration_setting
from imageshare.domain.ecd import effective_ecd_status
from imageshare.domain.ecs import effective_status
from imageshare.domain.images import copy_progress
from imageshare.domain.operations import AT_ONCE, Operation, Run, run
from imageshare.domain.swas import shown_status

T0 = datetime(2026, 12, 6, 17, 0, 0)


def test_a_run_ends_after_its_duration_or_at_once() -> None:
    assert run(T0, 600) == Run(T0 + timedelta(minutes=10))
    assert run(T0, 0.5, fails=True) == Run(T0 + timedelta(milliseconds=500), fails=True)
    assert run(T0, 0) == AT_ONCE == Run(None)


@pytest.mark.parametrize("operation", list(Operation))
def test_every_operation_has_its_own_setting(operation: Operation) -> None:
    name = duration_setting(operation)
    assert name in Settings.model_fields
    chosen = Settings.model_validate({name: 42.5})
    assert chosen.seconds_of(operation) == 42.5
    assert all(chosen.seconds_of(o) != 42.5 for o in Operation if o != operation)
    with pytest.raises(ValidationError):
        Settings.model_validate({name: -1})


def test_the_settings_read_their_environment_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IMAGESHARE_ECS_COPY_IMAGE_SECONDS", "600")
    monkeypatch.setenv("IMAGESHARE_SWAS_CREATE_CUSTOM_IMAGE_SECONDS", "5")
    settings = Settings()
    assert settings.seconds_of(Operation.ECS_COPY_IMAGE) == 600
    assert settings.seconds_of(Operation.SWAS_CREATE_CUSTOM_IMAGE) == 5


READY = T0 + timedelta(minutes=10)


@pytest.mark.parametrize(
    ("now", "ecs", "ecd", "swas", "progress"),
    [
        (T0, "Creating", "Creating", "4", 0),
        (T0 + timedelta(minutes=5), "Creating", "Creating", "4", 50),
        (READY - timedelta(microseconds=1), "Creating", "Creating", "4", 99),
        (READY, "Available", "Available", "1", 100),
        (READY + timedelta(days=1), "Available", "Available", "1", 100),
    ],
)
def test_what_each_product_shows_along_a_run(
    now: datetime, ecs: str, ecd: str, swas: str, progress: int
) -> None:
    assert effective_status("Available", READY, now) == ecs
    assert effective_ecd_status("Available", READY, now) == ecd
    assert shown_status("1", READY, now) == swas
    assert copy_progress(T0, READY, now) == progress


def test_a_failed_run_shows_its_failure_once_it_ends() -> None:
    assert effective_status("CreateFailed", READY, T0) == "Creating"
    assert effective_status("CreateFailed", READY, READY) == "CreateFailed"
    assert shown_status("3", READY, T0) == "4"
    assert shown_status("3", READY, READY) == "3"
