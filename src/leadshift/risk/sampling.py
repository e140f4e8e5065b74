"""Triangular and PERT distributions: samples from uniform draws, CDFs and quantile tables.

Rows of a block are uncertain quantities and columns are trials; parameters are column
vectors so a whole block is sampled in a few array passes.
"""

from __future__ import annotations

import functools

import numpy as np
from numpy.typing import NDArray
from scipy import special

F32 = np.float32
PERT_TABLE_POINTS = 1024
"""PERT samples interpolate linearly in a table of this many quantiles per item; the
quantile function is smooth inside, so the error is far below a 1/1024 share of the range."""


def triangular(
    u: NDArray[np.float32],
    low: NDArray[np.float32],
    likely: NDArray[np.float32],
    high: NDArray[np.float32],
) -> NDArray[np.float32]:
    """Inverse CDF of the triangular distribution; ``low``/``likely``/``high`` are (k, 1).

    A zero-width row gives its single value exactly, whatever the draw.
    """
    width = high - low
    left_w = likely - low
    right_w = high - likely
    safe = np.where(width > 0, width, F32(1))
    mode_at = np.where(width > 0, left_w / safe, F32(0.5)).astype(F32)
    left = u * (width * left_w)
    np.sqrt(left, out=left)
    left += low
    right = np.subtract(F32(1), u)
    right *= width * right_w
    np.sqrt(right, out=right)
    np.subtract(high, right, out=right)
    np.copyto(right, left, where=u < mode_at)
    return right


def pert_shapes(
    low: NDArray[np.float64], likely: NDArray[np.float64], high: NDArray[np.float64]
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Beta shapes of the PERT distribution (weight 4 on the most likely value)."""
    width = high - low
    safe = np.where(width > 0, width, 1.0)
    alpha = np.where(width > 0, 1 + 4 * (likely - low) / safe, 1.0)
    beta = np.where(width > 0, 1 + 4 * (high - likely) / safe, 1.0)
    return alpha, beta


def cdf(
    x: NDArray[np.float64],
    low: NDArray[np.float64],
    likely: NDArray[np.float64],
    high: NDArray[np.float64],
    pert: NDArray[np.bool_],
) -> NDArray[np.float64]:
    """P(X <= x), broadcasting; a zero-width item is a step at its value."""
    x, low, likely, high, pert = np.broadcast_arrays(x, low, likely, high, pert)
    width = high - low
    spread = width > 0
    safe = np.where(spread, width, 1.0)
    z = np.clip((x - low) / safe, 0.0, 1.0)
    m = np.where(spread, (likely - low) / safe, 0.5)
    with np.errstate(divide="ignore", invalid="ignore"):
        left = np.where(m > 0, z * z / np.where(m > 0, m, 1.0), 1.0)
        right = 1 - np.where(m < 1, (1 - z) ** 2 / np.where(m < 1, 1 - m, 1.0), 0.0)
    out = np.where(z <= m, left, right)
    if pert.any():
        # The incomplete beta is costly, so it is only evaluated where it is needed.
        sel = pert & spread
        a, b = pert_shapes(low[sel], likely[sel], high[sel])
        out[sel] = special.betainc(a, b, z[sel])
    return np.where(spread, out, (x >= low).astype(np.float64))


@functools.lru_cache(maxsize=4096)
def _unit_pert_quantiles(alpha: float, beta: float) -> NDArray[np.float64]:
    grid = np.linspace(0.0, 1.0, PERT_TABLE_POINTS)
    return special.betaincinv(alpha, beta, grid)


def pert_table(
    low: NDArray[np.float64], likely: NDArray[np.float64], high: NDArray[np.float64]
) -> NDArray[np.float32]:
    """Quantiles at ``k / (points - 1)`` for each PERT item: shape (items, points).

    Items of the same shape share one table of the standard beta, scaled to their range.
    """
    a, b = pert_shapes(low, likely, high)
    unit = np.empty((len(low), PERT_TABLE_POINTS))
    for k, (alpha, beta) in enumerate(zip(a.tolist(), b.tolist(), strict=True)):
        unit[k] = _unit_pert_quantiles(alpha, beta)
    return (low[:, None] + (high - low)[:, None] * unit).astype(F32)


def from_table(u: NDArray[np.float32], table: NDArray[np.float32]) -> NDArray[np.float32]:
    """Samples for rows of ``u`` by linear interpolation in their rows of ``table``."""
    points = table.shape[1]
    pos = u * F32(points - 1)
    idx = pos.astype(np.intp)
    np.minimum(idx, points - 2, out=idx)
    frac = pos - idx
    flat = idx + (np.arange(len(table), dtype=np.intp) * points)[:, None]
    lo = table.ravel().take(flat)
    hi = table.ravel().take(flat + 1)
    hi -= lo
    hi *= frac
    hi += lo
    return hi
