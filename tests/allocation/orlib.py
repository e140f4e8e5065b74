"""OR-Library mknap1 problems as one-period portfolios (n initiatives, m teams)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from leadshift.allocation.problem import Initiative, Portfolio, Team

REPO = Path(__file__).resolve().parents[2]


def _shared() -> Path:
    # CI lays shared/ beside the clone; a worktree sits one level deeper, so look further up.
    for base in [REPO.parent, *REPO.parent.parents]:
        if (base / "shared" / "reference").is_dir():
            return base / "shared"
    return REPO.parent / "shared"


SHARED = _shared()
MKNAP1 = SHARED / "reference" / "orlib-mknap1" / "mknap1.txt"


@dataclass(frozen=True)
class Knapsack:
    profits: list[float]
    weights: list[list[float]]
    """m rows of n coefficients."""
    capacities: list[float]
    optimum: float


def read_mknap(path: Path) -> list[Knapsack]:
    numbers = [float(tok) for tok in path.read_text().split()]
    count = int(numbers[0])
    pos = 1
    out = []
    for _ in range(count):
        n, m, optimum = int(numbers[pos]), int(numbers[pos + 1]), numbers[pos + 2]
        pos += 3
        profits = numbers[pos : pos + n]
        pos += n
        weights = [numbers[pos + r * n : pos + (r + 1) * n] for r in range(m)]
        pos += m * n
        capacities = numbers[pos : pos + m]
        pos += m
        out.append(Knapsack(profits, weights, capacities, optimum))
    return out


def as_portfolio(problem: Knapsack) -> Portfolio:
    m = len(problem.capacities)
    teams = tuple(Team(f"t{r}", (problem.capacities[r],)) for r in range(m))
    items = tuple(
        Initiative(
            id=f"i{j}",
            value=profit,
            effort={f"t{r}": problem.weights[r][j] for r in range(m) if problem.weights[r][j]},
        )
        for j, profit in enumerate(problem.profits)
    )
    return Portfolio(periods=("P1",), teams=teams, initiatives=items)
