"""Pure ECS rules: an instance's status over its passage, the architecture an instance type
runs, and the community-image terms read from the settings."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from pydantic import ValidationError

from imageshare.config import Settings
from imageshare.domain.catalogue import ARM64, I386, X86_64, instance_type, runs
from imageshare.domain.ecs import CommunityTerms, community_terms
from imageshare.domain.ecs_states import RUNNING, STOPPED, Passage, passage_to, shown_status

NOW = datetime(2026, 12, 6, 12, 0, 0)


@pytest.mark.parametrize(
    ("target", "seconds", "later", "shown"),
    [
        (RUNNING, 2, 0, "Starting"),
        (RUNNING, 2, 1.999, "Starting"),
        (RUNNING, 2, 2, RUNNING),
        (STOPPED, 2, 1, "Stopping"),
        (STOPPED, 2, 3, STOPPED),
        (RUNNING, 0, 0, RUNNING),
        (STOPPED, 0, 0, STOPPED),
    ],
)
def test_an_instance_shows_its_passage_until_it_settles(
    target: str, seconds: float, later: float, shown: str
) -> None:
    passage = passage_to(target, NOW, seconds)
    assert passage.status == target
    assert shown_status(passage, NOW + timedelta(seconds=later)) == shown


def test_a_settled_instance_needs_no_time() -> None:
    assert passage_to(RUNNING, NOW, 0) == Passage(RUNNING)


@pytest.mark.parametrize(
    ("kind", "architecture", "expected"),
    [
        ("ecs.g7.large", X86_64, True),
        ("ecs.g7.large", ARM64, False),
        ("ecs.g8y.large", ARM64, True),
        ("ecs.g8y.large", X86_64, False),
        ("ecs.t6-c1m1.large", I386, False),
    ],
)
def test_a_type_runs_images_of_its_architecture(
    kind: str, architecture: str, expected: bool
) -> None:
    found = instance_type(kind)
    assert found is not None and runs(found, architecture) is expected


@pytest.mark.parametrize(
    ("regions", "unsigned", "expected"),
    [
        ("", "", CommunityTerms()),
        ("us-east-1, us-west-1", "", CommunityTerms(frozenset({"us-east-1", "us-west-1"}))),
        ("", "1999999999999991,", CommunityTerms(None, frozenset({1999999999999991}))),
    ],
)
def test_community_terms_from_the_settings(
    regions: str, unsigned: str, expected: CommunityTerms
) -> None:
    assert community_terms(regions, unsigned) == expected


@pytest.mark.parametrize("unsigned", ["12,ab", "1.5", "-1", "²"])
def test_a_malformed_unsigned_account_list_stops_the_settings(unsigned: str) -> None:
    with pytest.raises(ValidationError):
        Settings(ecs_community_unsigned_accounts=unsigned)
