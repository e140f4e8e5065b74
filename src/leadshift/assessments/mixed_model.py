"""A linear mixed model with two crossed random effects, fitted by EM-REML.

    y_i = x_i'beta + u_cell(i) + b_rater(i) + e_i
    u_j ~ N(0, tau2[group(j)]),  b_r ~ N(0, sigma_b2),  e_i ~ N(0, sigma2)

This is the numerical core of the 360 scoring model (see ``scoring.py`` for why this model);
it knows nothing of people or capabilities, only arrays.

How it is solved: Henderson's mixed model equations. The cell effects ``u`` meet each
observation once, so their block of the equations is diagonal and is eliminated exactly; what
is left is a dense system over the fixed effects and the rater effects (a few thousand
unknowns for an organisation of thousands), solved by Cholesky. Its inverse gives the exact
traces the EM-REML variance updates need and the exact prediction error variances, which
include the uncertainty of every rater effect, for the intervals.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray
from scipy.linalg import lapack

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.intp]

# A variance component that reaches zero would stay there under EM; a floor relative to the
# data's own variance keeps every component free to grow back.
_FLOOR = 1e-6


@dataclass(frozen=True)
class CrossedFit:
    beta: FloatArray
    beta_cov: FloatArray
    cell_estimate: FloatArray
    """``cell_X @ beta + u`` for every cell."""
    cell_variance: FloatArray
    """Prediction error variance of ``cell_estimate`` (fixed and rater effects included)."""
    rater_effect: FloatArray
    rater_variance: FloatArray
    sigma2: float
    tau2: FloatArray
    sigma_b2: float
    iterations: int
    converged: bool


def _row_quadratic_forms(rows: sp.csr_matrix, m: FloatArray, chunk: int = 4096) -> FloatArray:
    """``diag(rows @ m @ rows.T)`` without forming the (cells x unknowns) dense product.

    Each row has only a handful of non-zeros (a cell's fixed effects and its raters), so the
    small blocks of ``m`` they touch are gathered and contracted directly.
    """
    n_rows = rows.shape[0]
    out = np.zeros(n_rows)
    lengths = np.diff(rows.indptr)
    width = int(lengths.max()) if n_rows else 0
    if width == 0:
        return out
    for start in range(0, n_rows, chunk):
        stop = min(start + chunk, n_rows)
        block = rows[start:stop]
        lens = np.diff(block.indptr)
        idx = np.zeros((stop - start, width), dtype=np.intp)
        val = np.zeros((stop - start, width))
        pos = np.arange(width)[None, :] < lens[:, None]
        idx[pos] = block.indices
        val[pos] = block.data
        sub = m[idx[:, :, None], idx[:, None, :]]
        out[start:stop] = np.einsum("ra,rab,rb->r", val, sub, val)
    return out


def _cholesky_inverse(s: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Cholesky factor and full inverse of a symmetric positive definite matrix."""
    factor, info = lapack.dpotrf(s, lower=1, clean=1)
    if info != 0:
        raise np.linalg.LinAlgError("the mixed model equations are not positive definite")
    inv, info = lapack.dpotri(factor, lower=1)
    if info != 0:
        raise np.linalg.LinAlgError("the mixed model equations cannot be inverted")
    inv = np.tril(inv) + np.tril(inv, -1).T
    return factor, inv


def fit_crossed(
    y: FloatArray,
    x: FloatArray,
    cell: IntArray,
    cell_group: IntArray,
    rater: IntArray,
    cell_x: FloatArray,
    *,
    tol: float = 1e-5,
    max_iter: int = 500,
) -> CrossedFit:
    """Fit the model by EM-REML and return BLUEs, BLUPs and their error variances.

    ``cell`` gives each observation's cell (0..J-1), ``cell_group`` each cell's variance
    group, ``rater`` each observation's rater (0..R-1), ``x`` the fixed-effect design and
    ``cell_x`` the fixed-effect row that defines each cell's level.
    """
    n, p = x.shape
    n_cells = cell_x.shape[0]
    n_groups = int(cell_group.max()) + 1 if n_cells else 0
    n_raters = int(rater.max()) + 1 if n else 0
    if n <= p:
        raise ValueError("too few ratings to fit the model")
    big_p = p + n_raters

    obs = np.arange(n)
    z_b = sp.csr_matrix((np.ones(n), (obs, rater)), shape=(n, n_raters))
    w = sp.hstack([sp.csr_matrix(x), z_b], format="csr")
    z_u_t = sp.csr_matrix((np.ones(n), (cell, obs)), shape=(n_cells, n))
    a = (z_u_t @ w).tocsr()
    wtw = (w.T @ w).toarray()
    wty = w.T @ y
    n_cell = np.bincount(cell, minlength=n_cells).astype(float)
    zuy = np.bincount(cell, weights=y, minlength=n_cells)
    yty = float(y @ y)
    group_size = np.bincount(cell_group, minlength=n_groups).astype(float)

    total_var = float(np.var(y)) if n > 1 else 1.0
    floor = _FLOOR * max(total_var, 1e-12)
    sigma2 = max(0.5 * total_var, floor)
    tau2 = np.full(n_groups, max(0.25 * total_var, floor))
    sigma_b2 = max(0.25 * total_var, floor)

    converged = False
    iterations = 0
    while True:
        d = n_cell + sigma2 / tau2[cell_group]
        a_scaled = sp.diags(1.0 / d) @ a
        s = wtw - (a.T @ a_scaled).toarray()
        s[np.arange(p, big_p), np.arange(p, big_p)] += sigma2 / sigma_b2
        rhs = wty - a_scaled.T @ zuy
        _factor, s_inv = _cholesky_inverse(s)
        theta = s_inv @ rhs
        u = (zuy - a @ theta) / d
        b = theta[p:]
        if iterations >= max_iter or converged:
            break
        iterations += 1

        c_uu = 1.0 / d + _row_quadratic_forms(a_scaled.tocsr(), s_inv)
        new_tau2 = (
            np.bincount(cell_group, weights=u**2 + sigma2 * c_uu, minlength=n_groups)
            / group_size
        )
        trace_bb = float(np.trace(s_inv[p:, p:]))
        new_sigma_b2 = (float(b @ b) + sigma2 * trace_bb) / n_raters
        new_sigma2 = (yty - float(theta @ wty) - float(u @ zuy)) / (n - p)

        new_tau2 = np.maximum(new_tau2, floor)
        new_sigma_b2 = max(new_sigma_b2, floor)
        new_sigma2 = max(new_sigma2, floor)
        old = np.concatenate([[sigma2, sigma_b2], tau2])
        new = np.concatenate([[new_sigma2, new_sigma_b2], new_tau2])
        # Components that sit on the floor are converged by definition.
        change = np.abs(np.log(new) - np.log(old))
        converged = bool(np.all((change < tol) | (new <= floor * 1.0001)))
        sigma2, sigma_b2, tau2 = new_sigma2, new_sigma_b2, new_tau2

    # The level of cell j is cell_x_j'beta + u_j, and u_j = (zuy_j - a_j theta) / d_j, so its
    # error is linear in theta's error through (cell_x_j, 0) - a_j / d_j, plus 1/d_j.
    cell_rows = (sp.hstack([sp.csr_matrix(cell_x), sp.csr_matrix((n_cells, n_raters))]) - a_scaled)
    cell_rows = sp.csr_matrix(cell_rows)
    cell_rows.eliminate_zeros()
    cell_variance = sigma2 * (1.0 / d + _row_quadratic_forms(cell_rows, s_inv))
    beta = theta[:p]
    return CrossedFit(
        beta=beta,
        beta_cov=sigma2 * s_inv[:p, :p],
        cell_estimate=cell_x @ beta + u,
        cell_variance=cell_variance,
        rater_effect=b,
        rater_variance=sigma2 * np.diag(s_inv)[p:].copy(),
        sigma2=float(sigma2),
        tau2=tau2.copy(),
        sigma_b2=float(sigma_b2),
        iterations=iterations,
        converged=converged,
    )
