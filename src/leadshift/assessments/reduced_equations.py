"""The mixed model equations over the fixed and rater effects once the blocks are eliminated,
``S = W'W - A'B^-1 A + diag(ridge)``, with their sparse pattern laid out once per fit.

Every EM step of ``mixed_model.fit_crossed`` forms ``S`` anew; only its values change. As a
sparse product ``A' (B^-1 A)`` it cost a third of a step at 20,000 people, most of it in
working out the same pattern again. Here each block's dense ``A_b' B_b^-1 A_b`` (from
``EffectBlocks.reduce``) is summed straight into the stored pattern.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from leadshift.assessments.effect_blocks import EffectBlocks

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.intp]


def _positions(keys: NDArray[np.int64]) -> tuple[NDArray[np.int64], IntArray]:
    """The distinct keys (sorted) and each key's position among them: ``np.unique`` with
    ``return_inverse``, by one sort of the keys with their index packed in the low bits
    (several times faster than the argsort ``np.unique`` does)."""
    n = keys.shape[0]
    bits = max(int(n - 1).bit_length(), 1)
    if n and int(keys.max()) >= 1 << (63 - bits):
        unique, inverse = np.unique(keys, return_inverse=True)
        return unique, inverse.astype(np.intp)
    packed = np.sort((keys << bits) | np.arange(n, dtype=np.int64))
    ordered = packed >> bits
    first = np.ones(n, dtype=bool)
    first[1:] = ordered[1:] != ordered[:-1]
    inverse = np.empty(n, dtype=np.intp)
    inverse[packed & ((1 << bits) - 1)] = np.cumsum(first) - 1
    return ordered[first], inverse


class ReducedEquations:
    def __init__(self, blocks: EffectBlocks, wtw: sp.csr_matrix):
        n = blocks.n_cols
        m = blocks.m
        columns = blocks.columns.reshape(-1, m).astype(np.int64)
        block_keys = (columns[:, :, None] * n + columns[:, None, :]).reshape(-1)
        coo = wtw.tocoo()
        wtw_keys = coo.row.astype(np.int64) * n + coo.col
        diagonal_keys = np.arange(n, dtype=np.int64) * (n + 1)
        unique, inverse = _positions(np.concatenate([block_keys, wtw_keys, diagonal_keys]))
        nnz = unique.shape[0]
        self.n, self.nnz = n, nnz
        self.block_at = inverse[: block_keys.shape[0]]
        """Where each entry of the (blocks x m x m) products goes; padded entries are zero."""
        self.base: FloatArray = np.bincount(
            inverse[block_keys.shape[0] : block_keys.shape[0] + coo.nnz],
            weights=coo.data,
            minlength=nnz,
        ).astype(np.float64, copy=False)
        self.diagonal_at = inverse[block_keys.shape[0] + coo.nnz :]
        self.indices = (unique % n).astype(np.intp)
        self.indptr = np.zeros(n + 1, dtype=np.intp)
        np.cumsum(np.bincount(unique // n, minlength=n), out=self.indptr[1:])

    def matrix(self, per_block: FloatArray, ridge: FloatArray) -> sp.csr_matrix:
        """``S`` from ``EffectBlocks.reduce``'s per-block products and the diagonal ridge."""
        taken = np.bincount(self.block_at, weights=per_block.reshape(-1), minlength=self.nnz)
        data: FloatArray = self.base - taken.astype(np.float64, copy=False)
        data[self.diagonal_at] += ridge
        return sp.csr_matrix((data, self.indices, self.indptr), shape=(self.n, self.n))
