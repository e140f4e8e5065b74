"""The random-effect blocks of the mixed model equations, laid out once per fit.

In Henderson's equations of ``mixed_model.fit_crossed`` the random effects ``g`` fall into
small blocks (a subject each), so that ``B = Z'Z + D`` is block diagonal and is eliminated by
inverting every block. Between EM iterations only the diagonal ``D`` changes: the blocks'
``Z'Z``, where each effect sits in its block, which columns of ``A = Z'W`` each block touches
and the sparse structure of ``B^-1`` and ``B^-1 A`` are therefore worked out here once, and
each iteration is a batched inverse and a batched product over equal-sized dense blocks whose
results drop straight into the stored structures (building them afresh as sparse products
and COO conversions took most of an iteration's time).
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.intp]


class EffectBlocks:
    def __init__(self, ztz: sp.csr_matrix, a: sp.csr_matrix, effect_block: IntArray):
        """``ztz`` is ``Z'Z`` (effects x effects), ``a`` is ``Z'W`` (effects x the fixed and
        rater unknowns); effects are numbered block by block."""
        q = effect_block.shape[0]
        n_blocks = int(effect_block.max()) + 1
        size = np.bincount(effect_block, minlength=n_blocks)
        start = np.zeros(n_blocks + 1, dtype=np.intp)
        np.cumsum(size, out=start[1:])
        local = np.arange(q) - start[effect_block]
        width = int(size.max())
        self.q, self.n_blocks, self.width = q, n_blocks, width
        self.block, self.local = effect_block, local
        self.slot = effect_block * width + local
        """Each effect's row in the padded (blocks x width) layout."""
        self.diagonal_at = self.slot * width + local

        coo = ztz.tocoo()
        self.base = np.bincount(
            self.slot[coo.row] * width + local[coo.col],
            weights=coo.data,
            minlength=n_blocks * width * width,
        ).reshape(n_blocks, width, width)
        # Padding with the identity keeps the padded blocks invertible without touching the rest.
        padded_block, padded_at = np.nonzero(np.arange(width)[None, :] >= size[:, None])
        self.base[padded_block, padded_at, padded_at] = 1.0

        # B^-1 in CSR: every effect's row holds the effects of its block.
        run = size[effect_block]
        self.inv_indptr = np.zeros(q + 1, dtype=np.intp)
        np.cumsum(run, out=self.inv_indptr[1:])
        rows = np.repeat(np.arange(q), run)
        offs = np.arange(rows.shape[0]) - np.repeat(self.inv_indptr[:-1], run)
        self.inv_indices = start[effect_block[rows]] + offs
        self.inv_take = self.slot[rows] * width + offs

        # A block by block: the columns each block touches (sorted), as a dense
        # (blocks x width x columns) array, and B^-1 A's CSR structure over the same columns.
        n_cols = a.shape[1]
        a = a.tocsr()
        a.sum_duplicates()
        a_coo = a.tocoo()
        touched = sp.csr_matrix(
            (np.ones(a.nnz), (effect_block[a_coo.row], a_coo.col)), shape=(n_blocks, n_cols)
        )
        touched.sum_duplicates()
        touched.sort_indices()
        count = np.diff(touched.indptr)
        m = int(count.max()) if touched.nnz else 1
        self.n_cols, self.m = n_cols, m
        keys = np.repeat(np.arange(n_blocks, dtype=np.int64), count) * n_cols + touched.indices
        wanted = effect_block[a_coo.row].astype(np.int64) * n_cols + a_coo.col
        column_at = np.searchsorted(keys, wanted) - touched.indptr[effect_block[a_coo.row]]
        flat_a = np.zeros(n_blocks * width * m)
        flat_a[self.slot[a_coo.row] * m + column_at] = a_coo.data
        self.a = flat_a.reshape(n_blocks, width, m)
        run = count[effect_block]
        self.a_indptr = np.zeros(q + 1, dtype=np.intp)
        np.cumsum(run, out=self.a_indptr[1:])
        rows = np.repeat(np.arange(q), run)
        offs = np.arange(rows.shape[0]) - np.repeat(self.a_indptr[:-1], run)
        self.a_indices = touched.indices[touched.indptr[effect_block[rows]] + offs]
        self.a_take = self.slot[rows] * m + offs
        self.columns = np.zeros(n_blocks * m, dtype=np.intp)
        """The columns each block touches, as (blocks x m); padding is column 0, whose ``a``
        there is zero."""
        block_of = np.repeat(np.arange(n_blocks), count)
        self.columns[block_of * m + np.arange(touched.nnz) - touched.indptr[block_of]] = (
            touched.indices
        )

    def invert(self, ridge: FloatArray) -> FloatArray:
        """The inverse of every block of ``Z'Z + diag(ridge)``, as (blocks x width x width)."""
        dense = self.base.copy()
        dense.reshape(-1)[self.diagonal_at] += ridge
        try:
            return np.asarray(np.linalg.inv(dense))
        except np.linalg.LinAlgError:
            # A variance component at its bound (a person or group rated by one rater on one
            # capability) leaves a block singular; its pseudo-inverse is the limit the fit needs.
            return np.asarray(np.linalg.pinv(dense, hermitian=True))

    def inverse_matrix(self, inverse: FloatArray) -> sp.csr_matrix:
        """``B^-1`` as a sparse (effects x effects) matrix."""
        return sp.csr_matrix(
            (inverse.reshape(-1)[self.inv_take], self.inv_indices, self.inv_indptr),
            shape=(self.q, self.q),
        )

    def inverse_diagonal(self, inverse: FloatArray) -> FloatArray:
        return np.asarray(inverse.reshape(-1)[self.diagonal_at])

    def inverse_times_a(self, inverse: FloatArray) -> sp.csr_matrix:
        """``B^-1 A`` as a sparse (effects x columns) matrix."""
        return self._sparse(np.matmul(inverse, self.a))

    def reduce(self, inverse: FloatArray) -> tuple[sp.csr_matrix, FloatArray]:
        """``B^-1 A``, and each block's ``A_b' B_b^-1 A_b`` over the block's ``columns`` as
        (blocks x m x m): what eliminating the block takes from the other equations."""
        product = np.matmul(inverse, self.a)
        return self._sparse(product), np.matmul(self.a.transpose(0, 2, 1), product)

    def _sparse(self, product: FloatArray) -> sp.csr_matrix:
        return sp.csr_matrix(
            (product.reshape(-1)[self.a_take], self.a_indices, self.a_indptr),
            shape=(self.q, self.n_cols),
        )
