from __future__ import annotations

from pathlib import Path
from typing import Any

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "portfolio.yaml"

PRODUCTS = """
products:
  - id: checkout
    name: Checkout
    team: payments
    snapshots:
      - {date: 2025-03-31, revenue: 100, market_growth: 0.2, relative_share: 1.4, margin: 0.3}
      - {date: 2025-06-30, revenue: 120, market_growth: 0.18, relative_share: 1.5, margin: 0.3}
  - id: legacy
    name: Legacy
    team: mobile
    snapshots:
      - {date: 2025-06-30, revenue: 40, market_growth: 0.01, relative_share: 0.3, margin: 0.01}
"""


def load_example(org: Any, leader: Any) -> None:
    from leadshift.portfolio.services import do_import

    do_import(org, leader, EXAMPLE.read_text() + PRODUCTS, "portfolio.yaml")
