"""Streaming summaries whose memory does not grow with the number of trials.

Values go into fixed bins over a range known before the first trial (the scenario bounds
every delivered value), with an exact running sum for the mean and the exact minimum and
maximum. A percentile is read from the cumulative counts, interpolated linearly inside its
bin and kept within the observed minimum and maximum, so it is off by at most one bin
width: ``(high - low) / bins``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray


@dataclass
class BinnedSeries:
    """Histograms of k series at once; series i has its own range [low[i], high[i]]."""

    low: NDArray[np.float64]
    high: NDArray[np.float64]
    bins: int

    def __post_init__(self) -> None:
        k = len(self.low)
        self.low = np.asarray(self.low, dtype=np.float64)
        self.high = np.maximum(np.asarray(self.high, dtype=np.float64), self.low)
        width = self.high - self.low
        self._scale = np.where(width > 0, self.bins / np.where(width > 0, width, 1.0), 0.0)
        self.counts = np.zeros((k, self.bins), dtype=np.int64)
        self.total = np.zeros(k, dtype=np.float64)
        self.total_sq = np.zeros(k, dtype=np.float64)
        self.minimum = np.full(k, np.inf)
        self.maximum = np.full(k, -np.inf)
        self.n = 0
        self._offsets = (np.arange(k, dtype=np.int64) * self.bins)[:, None]

    def add(self, x: NDArray[np.floating], groups: NDArray[np.intp] | None = None) -> None:
        """Add a (k, trials) block. Sums are taken over each group of columns (``groups``:
        where each begins; one group by default) and added group by group, so that the same
        groups give the same sums to the last bit however the columns are cut into blocks."""
        k = len(self.low)
        idx = x - self.low[:, None].astype(x.dtype)
        idx *= self._scale[:, None].astype(x.dtype)
        pos = idx.astype(np.int64)
        np.clip(pos, 0, self.bins - 1, out=pos)
        pos += self._offsets
        self.counts += np.bincount(pos.ravel(), minlength=k * self.bins).reshape(k, self.bins)
        x64 = x.astype(np.float64, copy=False)
        if x.shape[1]:
            at = np.zeros(1, dtype=np.intp) if groups is None else groups
            sums = np.add.reduceat(x64, at, axis=1)
            squares = np.add.reduceat(x64 * x64, at, axis=1)
            for g in range(len(at)):
                self.total += sums[:, g]
                self.total_sq += squares[:, g]
        if x.shape[1]:
            np.minimum(self.minimum, x.min(axis=1), out=self.minimum)
            np.maximum(self.maximum, x.max(axis=1), out=self.maximum)
        self.n += x.shape[1]

    def mean(self) -> NDArray[np.float64]:
        return self.total / max(self.n, 1)

    def std(self) -> NDArray[np.float64]:
        n = max(self.n, 1)
        var = self.total_sq / n - (self.total / n) ** 2
        return np.sqrt(np.maximum(var, 0.0))

    def edges(self, i: int) -> NDArray[np.float64]:
        return np.linspace(self.low[i], self.high[i], self.bins + 1)

    def percentile(self, i: int, q: float) -> float:
        """The q-quantile (0 < q < 1) of series i, to within one bin width."""
        counts = self.counts[i]
        if self.n == 0:
            return float("nan")
        if self.high[i] == self.low[i]:
            return float(self.low[i])
        cum = np.cumsum(counts)
        target = q * self.n
        b = int(np.searchsorted(cum, target, side="left"))
        b = min(b, self.bins - 1)
        before = cum[b - 1] if b > 0 else 0
        inside = counts[b]
        frac = (target - before) / inside if inside else 0.5
        width = (self.high[i] - self.low[i]) / self.bins
        value = self.low[i] + (b + frac) * width
        return float(min(max(value, self.minimum[i]), self.maximum[i]))


def integer_quantile(counts: NDArray[np.int64], q: float) -> int:
    """Smallest v with P(X <= v) >= q for a histogram of the integers 0, 1, 2, ..."""
    cum = np.cumsum(counts)
    if cum[-1] == 0:
        return 0
    # A tiny slack so that q * n landing exactly on a count boundary is not lost to rounding.
    return int(np.searchsorted(cum, q * cum[-1] - 1e-9, side="left"))
