"""Every registered action is documented in its product's page of docs/."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from imageshare.api.all import build_registry

DOCS = Path(__file__).resolve().parents[1] / "docs"
# A product's page; a new product needs a page here before its actions can register.
PAGES = {
    "swas-open": "swas.md",
    "ecd": "ecd.md",
    "ecs": "ecs.md",
    "ram": "ram.md",
    "sts": "ram.md",
    "location": "endpoints.md",
    "actiontrail": "actiontrail.md",
}
ACTIONS = sorted((action.product.code, action.name) for action in build_registry())


@pytest.mark.parametrize(("product", "name"), ACTIONS, ids=[f"{p}:{n}" for p, n in ACTIONS])
def test_every_registered_action_is_documented_in_its_products_page(
    product: str, name: str
) -> None:
    assert product in PAGES, f"{product} has no documentation page in PAGES"
    page = (DOCS / PAGES[product]).read_text("utf-8")
    assert re.search(rf"\b{re.escape(name)}\b", page), f"{name} is not in docs/{PAGES[product]}"
