"""``imageshare actions``: the registry's list, whole or by product."""

from __future__ import annotations

import json

from click.testing import CliRunner

from imageshare.api.all import build_registry
from imageshare.cli import cli


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def test_lists_every_registered_action_by_product() -> None:
    code, output = run("actions", "--json")
    assert code == 0
    listed = json.loads(output)
    expected: dict[str, list[str]] = {}
    for action in build_registry():
        heading = f"{action.product.code} {action.product.version}"
        expected.setdefault(heading, []).append(action.name)
    assert listed == {heading: sorted(names) for heading, names in expected.items()}
    assert "DescribeEndpoints" in listed["location 2015-06-12"]


def test_one_product_in_any_case() -> None:
    code, output = run("actions", "--product", "ECS")
    assert code == 0
    assert output.splitlines()[0].startswith("ecs 2014-05-26 (")
    assert "  DescribeImages" in output.splitlines()
    assert "swas-open" not in output


def test_an_unknown_product_names_the_known_ones() -> None:
    code, output = run("actions", "--product", "vpc")
    assert code == 2
    assert "unknown product; use one of swas-open, ecd, ecs" in output
