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

import numpy as np
from numpy.typing import NDArray

from leadshift.risk.sampling import cdf


@dataclass
class KeptShare:
    """Per initiative, atoms of W: ``values[i, k]`` with probability ``probs[i, k]``."""

    values: NDArray[np.float64]
    probs: NDArray[np.float64]

    @property
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


def product_cdf(law: ValueLaw, kept: KeptShare, x: NDArray[np.float64]) -> NDArray[np.float64]:
    """P(V * W <= x) for x of shape (n, q)."""
    w = kept.values[:, None, :]
    safe = np.where(w > 0, w, 1.0)
    parts = law.cdf(x[:, :, None] / safe)
    parts = np.where(w > 0, parts, 0.0)
    mass = (parts * kept.probs[:, None, :]).sum(axis=2)
    zero = kept.p_zero[:, None] + (kept.probs * (kept.values <= 0)).sum(axis=1)[:, None]
    return mass + zero * (x >= 0)


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
    for _ in range(iterations):
        mid = (lo + hi) / 2
        ok = product_cdf(law, kept, mid) >= q - 1e-12
        hi = np.where(ok, mid, hi)
        lo = np.where(ok, lo, mid)
    span = np.maximum(high - low, 1.0)[:, None]
    return np.where(np.abs(hi) < 1e-9 * span, 0.0, hi)
