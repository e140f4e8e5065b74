"""Turning uniform draws into triangular and PERT samples, row by row.

Each row of a block is one uncertain quantity and each column one trial; the parameters are
column vectors so a whole block is sampled in a few array passes.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

F32 = np.float32


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


def pert(
    rng: np.random.Generator,
    low: NDArray[np.float64],
    likely: NDArray[np.float64],
    high: NDArray[np.float64],
    columns: int,
) -> NDArray[np.float32]:
    """``columns`` PERT draws for each row; parameters are 1-D of length k."""
    alpha, beta = pert_shapes(low, likely, high)
    b = rng.beta(alpha[:, None], beta[:, None], size=(len(low), columns))
    return (low[:, None] + (high - low)[:, None] * b).astype(F32)
