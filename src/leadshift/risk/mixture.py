"""Exact summaries of one initiative's delivered value.

Delivered value is ``V * W``: the sampled value V is independent of W, the share kept
(0 when late, otherwise the product of ``1 - value_loss`` of the fired risks). The
simulation counts W's distribution; V's distribution is known in closed form. So the mean
and spread are exact, and percentiles come from the mixture's CDF by bisection instead of
from a coarse histogram of samples. W's values are grouped in 256 bins whose exact means are
kept, so they are exact whenever W takes fewer distinct values than that (the usual case).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
from numpy.typing import NDArray
from scipy import special

from leadshift.risk.sampling import cdf, pert_shapes


@dataclass
class KeptShare:
    """Per initiative, atoms of W: ``values[i, k]`` with probability ``probs[i, k]``."""

    values: NDArray[np.float64]
    probs: NDArray[np.float64]

    @cached_property
    def p_zero(self) -> NDArray[np.float64]:
        return np.clip(1.0 - self.probs.sum(axis=1), 0.0, 1.0)

    def mean(self) -> NDArray[np.float64]:
        return (self.values * self.probs).sum(axis=1)

    def second_moment(self) -> NDArray[np.float64]:
        return (self.values**2 * self.probs).sum(axis=1)


@dataclass
class ValueLaw:
    low: NDArray[np.float64]
    likely: NDArray[np.float64]
    high: NDArray[np.float64]
    pert: NDArray[np.bool_]

    def mean(self) -> NDArray[np.float64]:
        tri = (self.low + self.likely + self.high) / 3
        pert = (self.low + 4 * self.likely + self.high) / 6
        return np.where(self.pert, pert, tri)

    def variance(self) -> NDArray[np.float64]:
        a, m, b = self.low, self.likely, self.high
        tri = (a * a + b * b + m * m - a * b - a * m - b * m) / 18
        mu = (a + 4 * m + b) / 6
        pert = (mu - a) * (b - mu) / 7
        return np.where(self.pert, pert, tri)

    def cdf(self, x: NDArray[np.float64]) -> NDArray[np.float64]:
        """x has shape (n, ...) with one row per item."""
        extra = (1,) * (x.ndim - 1)
        shape = (-1, *extra)
        return cdf(
            x,
            self.low.reshape(shape),
            self.likely.reshape(shape),
            self.high.reshape(shape),
            self.pert.reshape(shape),
        )


class _Atoms:
    """W's positive atoms as (item, value, probability) triplets, and each item's mass at 0.

    Items differ in how many atoms they have, so the CDF is evaluated per atom, not on a
    padded (items, most atoms) grid. Each atom's law (its item's, scaled by the atom) is
    prepared once, since the quantiles evaluate the CDF some sixty times."""

    def __init__(self, kept: KeptShare, law: ValueLaw):
        rows, cols = np.nonzero((kept.probs > 0) & (kept.values > 0))
        self.rows = rows
        self.w = kept.values[rows, cols][:, None]
        self.p = kept.probs[rows, cols][:, None]
        self.zero = (kept.p_zero + (kept.probs * (kept.values <= 0)).sum(axis=1))[:, None]
        # Atoms come item by item (nonzero is in row order): each item's sum is a slice.
        self.items, self.starts = np.unique(rows, return_index=True)
        low, likely, high = law.low[rows, None], law.likely[rows, None], law.high[rows, None]
        width = high - low
        self.spread = width > 0
        self.low = low
        self.safe = np.where(self.spread, width, 1.0)
        m = np.where(self.spread, (likely - low) / self.safe, 0.5)
        self.m = m
        self.left_k = np.where(m > 0, m, 1.0)
        self.right_k = np.where(m < 1, 1 - m, 1.0)
        self.pert = np.flatnonzero(law.pert[rows] & self.spread[:, 0])
        self.alpha, self.beta = pert_shapes(low[self.pert], likely[self.pert], high[self.pert])

    def cdf(self, x: NDArray[np.float64]) -> NDArray[np.float64]:
        """P(V * W <= x) for x of shape (n, q), as ``sampling.cdf`` of each atom's law."""
        y = x[self.rows] / self.w
        z = np.clip((y - self.low) / self.safe, 0.0, 1.0)
        m = self.m
        left = np.where(m > 0, z * z / self.left_k, 1.0)
        right = 1 - np.where(m < 1, (1 - z) ** 2 / self.right_k, 0.0)
        out = np.where(z <= m, left, right)
        if len(self.pert):
            out[self.pert] = special.betainc(self.alpha, self.beta, z[self.pert])
        parts = np.where(self.spread, out, (y >= self.low).astype(np.float64))
        parts *= self.p
        mass = np.zeros_like(x)
        if len(self.rows):
            mass[self.items] = np.add.reduceat(parts, self.starts, axis=0)
        return mass + self.zero * (x >= 0)


def product_cdf(law: ValueLaw, kept: KeptShare, x: NDArray[np.float64]) -> NDArray[np.float64]:
    """P(V * W <= x) for x of shape (n, q)."""
    return _Atoms(kept, law).cdf(x)


def product_quantiles(
    law: ValueLaw,
    kept: KeptShare,
    qs: tuple[float, ...],
    low: NDArray[np.float64],
    high: NDArray[np.float64],
    iterations: int = 60,
    grid: tuple[NDArray[np.float64], NDArray[np.float64]] | None = None,
) -> NDArray[np.float64]:
    """Smallest x with P(V * W <= x) >= q, for each item and q: shape (n, len(qs)).

    Found by bisection from [low, high], or from the two points around it of ``grid``
    (points (n, g) in increasing order from low to high, and the CDF there), which spares
    as many halvings as the grid has levels (32 points: 5)."""
    n = len(low)
    q = np.broadcast_to(np.asarray(qs, dtype=np.float64), (n, len(qs)))
    if grid is None:
        lo = np.repeat(low[:, None], len(qs), axis=1).astype(np.float64)
        hi = np.repeat(high[:, None], len(qs), axis=1).astype(np.float64)
    else:
        points, cum = grid
        last = points.shape[1] - 1
        # First point where the CDF reaches q (the bisection's test), and the one before.
        above = (cum[:, None, :] < (q - 1e-12)[:, :, None]).sum(axis=2)
        rows = np.arange(n)[:, None]
        hi = points[rows, np.minimum(above, last)].astype(np.float64)
        lo = points[rows, np.clip(above - 1, 0, last)].astype(np.float64)
    atoms = _Atoms(kept, law)
    for _ in range(iterations):
        mid = (lo + hi) / 2
        ok = atoms.cdf(mid) >= q - 1e-12
        hi = np.where(ok, mid, hi)
        lo = np.where(ok, lo, mid)
    span = np.maximum(high - low, 1.0)[:, None]
    return np.where(np.abs(hi) < 1e-9 * span, 0.0, hi)
