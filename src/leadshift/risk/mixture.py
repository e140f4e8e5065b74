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

from leadshift.risk.sampling import cdf


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

    def cdf_rows(self, rows: NDArray[np.intp], x: NDArray[np.float64]) -> NDArray[np.float64]:
        """x has shape (len(rows), q): row k is evaluated with item ``rows[k]``'s law."""
        return cdf(
            x,
            self.low[rows, None],
            self.likely[rows, None],
            self.high[rows, None],
            self.pert[rows, None],
        )


class _Atoms:
    """W's positive atoms as (item, value, probability) triplets, and each item's mass at 0.

    Items differ in how many atoms they have, so the CDF is evaluated per atom, not on a
    padded (items, most atoms) grid."""

    def __init__(self, kept: KeptShare):
        rows, cols = np.nonzero((kept.probs > 0) & (kept.values > 0))
        self.rows = rows
        self.w = kept.values[rows, cols][:, None]
        self.p = kept.probs[rows, cols][:, None]
        self.zero = (kept.p_zero + (kept.probs * (kept.values <= 0)).sum(axis=1))[:, None]

    def cdf(self, law: ValueLaw, x: NDArray[np.float64]) -> NDArray[np.float64]:
        """P(V * W <= x) for x of shape (n, q)."""
        parts = law.cdf_rows(self.rows, x[self.rows] / self.w)
        parts *= self.p
        mass = np.zeros_like(x)
        np.add.at(mass, self.rows, parts)
        return mass + self.zero * (x >= 0)


def product_cdf(law: ValueLaw, kept: KeptShare, x: NDArray[np.float64]) -> NDArray[np.float64]:
    """P(V * W <= x) for x of shape (n, q)."""
    return _Atoms(kept).cdf(law, x)


def product_quantiles(
    law: ValueLaw,
    kept: KeptShare,
    qs: tuple[float, ...],
    low: NDArray[np.float64],
    high: NDArray[np.float64],
    iterations: int = 60,
) -> NDArray[np.float64]:
    """Smallest x with P(V * W <= x) >= q, for each item and q: shape (n, len(qs))."""
    n = len(low)
    q = np.broadcast_to(np.asarray(qs, dtype=np.float64), (n, len(qs)))
    lo = np.repeat(low[:, None], len(qs), axis=1).astype(np.float64)
    hi = np.repeat(high[:, None], len(qs), axis=1).astype(np.float64)
    atoms = _Atoms(kept)
    for _ in range(iterations):
        mid = (lo + hi) / 2
        ok = atoms.cdf(law, mid) >= q - 1e-12
        hi = np.where(ok, mid, hi)
        lo = np.where(ok, lo, mid)
    span = np.maximum(high - low, 1.0)[:, None]
    return np.where(np.abs(hi) < 1e-9 * span, 0.0, hi)
