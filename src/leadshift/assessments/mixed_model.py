"""A linear mixed model with blocks of random effects crossed with rater effects, by EM-REML.

    y_i = x_i'beta + sum_k g[effect_k(i)] + b[rater(i)] + e_i
    g_q ~ N(0, var[group(q)]),  b_r ~ N(0, sigma_b2),  e_i ~ N(0, sigma2)

Every effect ``g_q`` belongs to a block (in the scoring model: a subject, whose block holds
the person's general level and their level on each capability), and each observation touches
effects of one block only. This is the numerical core of the 360 scoring model (see
``scoring.py`` for why this model); it knows nothing of people or capabilities, only arrays.

How it is solved: Henderson's mixed model equations. Because an observation touches one
block, the ``g`` part of the equations is block diagonal with small blocks and is eliminated
exactly by batched inversion; what is left is a dense system over the fixed effects and the
rater effects (a few thousand unknowns for an organisation of thousands), solved by Cholesky.
Its inverse gives the exact traces the EM-REML variance updates need and the exact prediction
error variances, which include the uncertainty of every rater effect, for the intervals.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray
from scipy import special
from scipy.linalg import lapack

from leadshift.assessments.effect_blocks import EffectBlocks
from leadshift.assessments.reduced_equations import ReducedEquations

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.intp]

# A variance component that reaches zero would stay there under EM; a floor relative to the
# data's own variance keeps every component free to grow back.
_FLOOR = 1e-6
_SQRT_2_OVER_PI = float(np.sqrt(2 / np.pi))
_SQRT_HALF = float(np.sqrt(0.5))


@dataclass(frozen=True)
class CrossedFit:
    beta: FloatArray
    beta_cov: FloatArray
    effect: FloatArray
    """The predicted random effects ``g`` (BLUPs)."""
    effect_variance: FloatArray
    target_estimate: FloatArray
    """``target_x @ beta + sum of the target's effects`` for every target."""
    target_variance: FloatArray
    """Prediction error variance of each target (fixed and rater effects' error included)."""
    rater_effect: FloatArray
    rater_variance: FloatArray
    sigma2: float
    group_variance: FloatArray
    sigma_b2: float
    iterations: int
    converged: bool
    latent: FloatArray
    """The observations, with each censored one replaced by its expected latent value."""


def _row_quadratic_forms(rows: sp.csr_matrix, m: FloatArray, chunk: int = 4096) -> FloatArray:
    """``diag(rows @ m @ rows.T)`` for a symmetric ``m`` given by its lower triangle.

    The (cells x unknowns) dense product is never formed.

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
        ia, ib = idx[:, :, None], idx[:, None, :]
        sub = m[np.maximum(ia, ib), np.minimum(ia, ib)]
        out[start:stop] = np.einsum("ra,rab,rb->r", val, sub, val)
    return out


def _cholesky_inverse(s: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Cholesky factor and the lower triangle of the inverse of an SPD matrix.

    Only the lower triangle is filled: symmetrising a matrix of thousands squared costs as
    much as a third of the inversion, and every reader here looks entries up as (max, min).
    """
    factor, info = lapack.dpotrf(s, lower=1, clean=1)
    if info != 0:
        # A fixed effect with no information of its own (a relationship whose only rater
        # carries its severity) leaves the equations semi-definite: a ridge far below the
        # data's scale pins that effect at zero without moving the others.
        ridge = 1e-8 * max(float(np.abs(np.diag(s)).max()), 1.0)
        factor, info = lapack.dpotrf(s + ridge * np.eye(s.shape[0]), lower=1, clean=1)
    if info != 0:
        raise np.linalg.LinAlgError("the mixed model equations are not positive definite")
    inv, info = lapack.dpotri(factor, lower=1)
    if info != 0:
        raise np.linalg.LinAlgError("the mixed model equations cannot be inverted")
    return factor, inv


def _cholesky_solve(factor: FloatArray, rhs: FloatArray) -> FloatArray:
    out, info = lapack.dpotrs(factor, rhs, lower=1)
    if info != 0:
        raise np.linalg.LinAlgError("the mixed model equations cannot be solved")
    return np.asarray(out)


@dataclass
class _Solution:
    b_inv: sp.csr_matrix
    b_inv_a: sp.csr_matrix
    theta: FloatArray
    g: FloatArray
    c_gg: FloatArray
    inverse: _Inverse


class _Inverse:
    """What the fit needs of ``S^-1``, the inverse of the (fixed + rater) equations."""

    def quadratic(self, rows: sp.csr_matrix) -> FloatArray:
        """``diag(rows @ S^-1 @ rows.T)``."""
        raise NotImplementedError

    def rater_diagonal(self, p: int) -> FloatArray:
        raise NotImplementedError

    def fixed_block(self, p: int) -> FloatArray:
        raise NotImplementedError


class _DenseInverse(_Inverse):
    """The exact inverse, from a dense Cholesky factor: for small systems."""

    def __init__(self, s_inv: FloatArray):
        self.s_inv = s_inv

    def quadratic(self, rows: sp.csr_matrix) -> FloatArray:
        return _row_quadratic_forms(rows, self.s_inv)

    def rater_diagonal(self, p: int) -> FloatArray:
        return np.diag(self.s_inv)[p:].copy()

    def fixed_block(self, p: int) -> FloatArray:
        low = self.s_inv[:p, :p]
        return np.tril(low) + np.tril(low, -1).T


def _signs(rng: np.random.Generator, shape: tuple[int, int]) -> FloatArray:
    """Independent signs, +1 or -1 with equal chance, eight to a random byte.

    As the noise behind the draws of ``_SampledInverse`` they serve as well as normal
    deviates (only their unit covariance matters) and estimate a quadratic form with no
    more spread (Hutchinson's estimator); drawing the normals took an eighth of a
    20,000-person fit.
    """
    size = shape[0] * shape[1]
    bits = np.unpackbits(rng.integers(0, 256, size=-(-size // 8), dtype=np.uint8), count=size)
    return _SIGN[bits].reshape(shape)


_SIGN = np.array([-1.0, 1.0])


class _SampledInverse(_Inverse):
    """``S^-1`` through draws ``x`` with covariance ``S^-1`` (a solve with noise of unit
    covariance on the right): ``E[(r'x)^2] = r' S^-1 r`` for any row r.

    The fixed-effect block is solved exactly (a few right-hand sides). Every draw is a sparse
    iterative solve, so the cost grows with the number of ratings, not with its square.
    """

    def __init__(self, draws: FloatArray, fixed: FloatArray):
        self.draws = draws
        self.fixed = fixed

    def quadratic(self, rows: sp.csr_matrix) -> FloatArray:
        return np.asarray(np.mean(np.square(rows @ self.draws), axis=1))

    def rater_diagonal(self, p: int) -> FloatArray:
        return np.asarray(np.mean(np.square(self.draws[p:]), axis=1))

    def fixed_block(self, p: int) -> FloatArray:
        return 0.5 * (self.fixed + self.fixed.T)


def _batched_cg(
    s: sp.csr_matrix,
    rhs: FloatArray,
    start: FloatArray,
    tol: FloatArray,
    max_iter: int = 2000,
    fixed: int = 0,
) -> FloatArray:
    """Solve ``s @ X = rhs`` for every column at once by preconditioned conjugate gradients
    (``s`` symmetric positive definite), each column to a relative residual of its ``tol``.
    A column that has converged leaves the batch, so that the columns needed only roughly do
    not ride along while the exact ones finish.

    The preconditioner is block Jacobi: the first ``fixed`` unknowns (the fixed effects,
    strongly coupled with each other) by the inverse of their dense block, every other one
    by its diagonal; it saves a tenth of the steps of plain Jacobi."""
    inv_diag = (1.0 / s.diagonal())[:, None]
    fixed_inverse = np.linalg.inv(s[:fixed, :fixed].toarray()) if fixed else None

    def precondition(r: FloatArray) -> FloatArray:
        z = r * inv_diag
        if fixed_inverse is not None:
            z[:fixed] = fixed_inverse @ r[:fixed]
        return z

    solution = start.copy()
    active = np.arange(rhs.shape[1])
    x = solution
    r = rhs - s @ x
    z = precondition(r)
    direction = z.copy()
    rz = np.einsum("ij,ij->j", r, z)
    target = (tol * np.maximum(np.linalg.norm(rhs, axis=0), 1e-300)) ** 2
    for _ in range(max_iter):
        going = np.einsum("ij,ij->j", r, r) > target
        if not going.all():
            # The finished columns go back to the solution; the rest carry on compacted
            # (updating them in place through an index array copied them every step).
            solution[:, active] = x
            if not going.any():
                return solution
            active, x, r, direction, rz, target = (
                active[going],
                x[:, going],
                r[:, going],
                direction[:, going],
                rz[going],
                target[going],
            )
        q = s @ direction
        curvature = np.einsum("ij,ij->j", direction, q)
        alpha = np.divide(rz, curvature, out=np.zeros_like(rz), where=curvature > 0)
        x += alpha * direction
        r -= alpha * q
        z = precondition(r)
        rz_new = np.einsum("ij,ij->j", r, z)
        beta = np.divide(rz_new, rz, out=np.zeros_like(rz), where=rz > 0)
        direction *= beta
        direction += z
        rz = rz_new
    solution[:, active] = x
    return solution


@dataclass(frozen=True)
class Censoring:
    """Observations that only say the latent value lies beyond a threshold.

    ``where`` indexes the censored observations, ``above`` says which lie above their
    ``threshold`` (the rest below). A score at the top of a 1-5 scale, say, says the rater's
    latent judgement was at least 4.5: a linear model fed the 5 itself is pulled toward the
    middle exactly where the people at the ends are, and its intervals miss them there.
    """

    where: IntArray
    above: NDArray[np.bool_]
    threshold: FloatArray

    def expect(self, fitted: FloatArray, sigma2: float) -> tuple[FloatArray, FloatArray]:
        """Mean and variance of each censored latent value given the model's fitted value
        (a normal truncated at the threshold)."""
        sd = np.sqrt(sigma2)
        cut = (self.threshold - fitted) / sd
        # Beyond the threshold on the censored side, as a distance in sds from the fit.
        side = np.where(self.above, cut, -cut)
        # The inverse Mills ratio pdf/sf through the scaled erfc: it holds far into the tail
        # as the ratio in logs did, and costs a third less than log_ndtr and exp (the E-step
        # runs five times per EM step).
        ratio = _SQRT_2_OVER_PI / special.erfcx(side * _SQRT_HALF)
        mean = fitted + np.where(self.above, 1.0, -1.0) * sd * ratio
        variance = sigma2 * np.maximum(1.0 + side * ratio - ratio**2, 0.0)
        return mean, variance


class _Data:
    """The observations and the products of the design with them, updated as the censored
    observations (``where``) are re-imputed: the products of the others are kept, so that an
    update costs the censored observations only."""

    def __init__(self, y: FloatArray, w: sp.csr_matrix, z_g: sp.csr_matrix, where: IntArray):
        self.y = y.astype(float, copy=True)
        self.where = where
        others = self.y.copy()
        others[where] = 0.0
        self._wty, self._zty = w.T @ others, z_g.T @ others
        self._yty = float(others @ others)
        self._w_t, self._z_t = w[where].T.tocsr(), z_g[where].T.tocsr()
        self._products()

    def _products(self) -> None:
        values = self.y[self.where]
        self.wty = self._wty + self._w_t @ values
        self.zty = self._zty + self._z_t @ values
        self.yty = self._yty + float(values @ values)

    def zty_with(self, values: FloatArray) -> FloatArray:
        """``Z'y`` were the censored observations ``values``."""
        return np.asarray(self._zty + self._z_t @ values)

    def wty_with(self, values: FloatArray) -> FloatArray:
        return np.asarray(self._wty + self._w_t @ values)

    def impute(self, values: FloatArray) -> None:
        if np.array_equal(self.y[self.where], values):
            return
        self.y[self.where] = values
        self._products()


def _unpack(params: FloatArray) -> tuple[float, float, FloatArray]:
    values = np.exp(params)
    return float(values[0]), float(values[1]), values[2:]


def _squarem(
    step: Callable[[FloatArray], tuple[FloatArray, _Solution]],
    done: Callable[[FloatArray, FloatArray], bool],
    start: FloatArray,
    max_iter: int,
) -> tuple[FloatArray, int, bool]:
    """Run an EM map to its fixed point with SQUAREM extrapolation (Varadhan & Roland, 2008).

    Plain EM crawls here (each step keeps about two thirds of the remaining error); squaring
    the step cuts the number of costly EM maps several-fold. Working on log variances keeps
    every extrapolated point valid; a step that moves away from the fixed point is replaced
    by the two plain EM steps it started from.
    """
    x = start
    evaluations = 0
    while evaluations < max_iter:
        x1, _ = step(x)
        evaluations += 1
        if done(x1, x):
            return x1, evaluations, True
        x2, _ = step(x1)
        evaluations += 1
        if done(x2, x1):
            return x2, evaluations, True
        r = x1 - x
        v = (x2 - x1) - r
        alpha = -float(np.linalg.norm(r) / max(float(np.linalg.norm(v)), 1e-300))
        alpha = max(min(alpha, -1.0), -50.0)
        x_new = x - 2 * alpha * r + alpha**2 * v
        evaluations += 1
        try:
            x3, _ = step(x_new)
        except np.linalg.LinAlgError:
            # Extrapolated too far (a variance driven to its bound): keep the plain EM steps.
            x = x2
            continue
        if done(x3, x_new):
            return x3, evaluations, True
        x = x3 if np.linalg.norm(x3 - x_new) < np.linalg.norm(x2 - x1) else x2
    return x, evaluations, False


def fit_crossed(
    y: FloatArray,
    x: FloatArray,
    obs_effects: IntArray,
    effect_block: IntArray,
    effect_group: IntArray,
    rater: IntArray,
    target_x: FloatArray,
    target_effects: IntArray,
    *,
    rater_group: int | None = None,
    censored: Censoring | None = None,
    start_variances: FloatArray | None = None,
    tol: float = 3e-4,
    max_iter: int = 500,
    dense_limit: int = 600,
    draws: int = 32,
    em_draws: int = 4,
    seed: int = 0,
    settle_rounds: int = 4,
) -> CrossedFit:
    """Fit the model by EM-REML and return BLUEs, BLUPs and their error variances.

    ``obs_effects`` (N x k) lists the random effects each observation touches, all in one
    block; effects are numbered block by block (``effect_block`` non-decreasing);
    ``effect_group`` gives each effect's variance group; ``rater`` each observation's rater
    in the dense part (-1 for none). ``obs_effects`` may hold -1 for "no effect".

    A rater seen in one block only can be given as an effect of that block instead of in
    ``rater``: it is the same model, but keeps the dense system small. Their variance group,
    ``rater_group``, then shares its variance with the dense rater effects.
    A target is a level to report: ``target_x @ beta`` plus the effects in ``target_effects``.

    Up to ``dense_limit`` fixed and rater effects, the equations are solved and inverted
    exactly (dense Cholesky). Beyond, they are solved by conjugate gradients and the parts of
    the inverse the fit needs are estimated from ``draws`` draws of covariance ``S^-1`` (fixed by
    ``seed``, the same in every iteration, so the fit stays deterministic): linear in the
    number of ratings where the dense inverse grows with the cube of the number of raters.
    The EM iterations use the first ``em_draws`` of them: their traces are sums over thousands
    of effects; the last solve, whose error variances are reported one by one, uses all.

    ``censored`` marks observations that only say the latent value lies beyond a threshold
    (a score at the end of a bounded scale); see ``Censoring``. ``start_variances`` (residual,
    rater, then each group's) starts the EM nearer its end than the default guesses do.
    """
    n, p = x.shape
    q = effect_block.shape[0]
    if n <= p:
        raise ValueError("too few ratings to fit the model")
    if np.any(np.diff(effect_block) < 0):
        raise ValueError("random effects must be numbered block by block")
    n_groups = max(int(effect_group.max()), -1 if rater_group is None else rater_group) + 1
    n_raters = int(rater.max()) + 1 if n else 0
    big_p = p + n_raters

    obs = np.arange(n)
    k = obs_effects.shape[1]
    touched = obs_effects.ravel() >= 0
    z_g = sp.csr_matrix(
        (
            np.ones(int(touched.sum())),
            (np.repeat(obs, k)[touched], obs_effects.ravel()[touched]),
        ),
        shape=(n, q),
    )
    rated = rater >= 0
    # W = (x, Z_b) straight from its non-zeros: converting the dense x and stacking took as
    # long as every other product of the set-up.
    x_row, x_col = np.nonzero(x)
    w = sp.csr_matrix(
        (
            np.concatenate([x[x_row, x_col], np.ones(int(rated.sum()))]),
            (np.concatenate([x_row, obs[rated]]), np.concatenate([x_col, p + rater[rated]])),
        ),
        shape=(n, big_p),
    )
    z_g_t = z_g.T.tocsr()
    a = (z_g_t @ w).tocsr()
    a_t = a.T.tocsr()
    blocks = EffectBlocks((z_g_t @ z_g).tocsr(), a, effect_block)
    wtw_sparse = (w.T @ w).tocsr()
    wtw_diagonal = wtw_sparse.diagonal()
    sampled = big_p > dense_limit
    wtw = None if sampled else wtw_sparse.toarray()
    cens_at = np.zeros(0, dtype=np.intp) if censored is None else censored.where
    w_cens, z_cens = w[cens_at], z_g[cens_at]
    data = _Data(y, w, z_g, cens_at)
    group_size = np.maximum(np.bincount(effect_group, minlength=n_groups), 1).astype(float)

    total_var = float(np.var(y)) if n > 1 else 1.0
    floor = _FLOOR * max(total_var, 1e-12)
    rater_diag = np.arange(p, big_p)
    tied = effect_group == rater_group
    n_tied = int(tied.sum())

    if sampled:
        # The draws' fixed noise: x with covariance C^-1 solves C x = T'e for C = T'T, the
        # whole equations written as a least-squares system, and e of unit covariance,
        # drawn once.
        reduced = ReducedEquations(blocks, wtw_sparse)
        rng = np.random.default_rng(seed)
        zt_noise = np.empty((q, draws))
        wt_noise = np.empty((big_p, draws))
        for first in range(0, draws, 8):  # a few columns at a time: n x draws is large
            chunk = _signs(rng, (n, min(8, draws - first)))
            # Through the transposes of the observation-major matrices: the noise is then
            # read in order and summed into the few effects, three times faster than
            # gathering it at random for each effect.
            zt_noise[:, first : first + chunk.shape[1]] = z_g.T @ chunk
            wt_noise[:, first : first + chunk.shape[1]] = w.T @ chunk
        noise_g = _signs(rng, (q, draws))
        noise_theta = _signs(rng, (big_p, draws))
        noise_theta[:p] = 0.0
        unit_fixed = np.zeros((big_p, p))
        unit_fixed[np.arange(p), np.arange(p)] = 1.0
    previous: list[FloatArray] = []

    def solve(params: FloatArray, final: bool = False) -> _Solution:
        sigma2, sigma_b2, group_var = _unpack(params)
        block_inverse = blocks.invert(sigma2 / group_var[effect_group])
        b_inv = blocks.inverse_matrix(block_inverse)
        if sampled:
            b_inv_a, per_block = blocks.reduce(block_inverse)
        else:
            b_inv_a = blocks.inverse_times_a(block_inverse)
        rhs = data.wty - b_inv_a.T @ data.zty
        inverse: _Inverse
        if not sampled:
            assert wtw is not None
            s = wtw - (a_t @ b_inv_a).toarray()
            s[rater_diag, rater_diag] += sigma2 / sigma_b2
            factor, s_inv = _cholesky_inverse(s)
            theta = _cholesky_solve(factor, rhs)
            inverse = _DenseInverse(s_inv)
        else:
            ridge = np.zeros(big_p)
            ridge[p:] = sigma2 / sigma_b2
            s_sp = reduced.matrix(per_block, ridge)
            # The EM needs only sums of the draws over thousands of effects, which a few
            # draws settle; each person's own error, reported once, needs them all.
            k = draws if final else min(em_draws, draws)
            r_g = (
                zt_noise[:, :k]
                + np.sqrt(sigma2 / group_var[effect_group])[:, None] * noise_g[:, :k]
            )
            r_theta = wt_noise[:, :k] + np.sqrt(ridge)[:, None] * noise_theta[:, :k]
            # The fixed effects' covariance is only reported, so its columns join the last
            # solve alone.
            both = np.column_stack(
                [rhs, r_theta - b_inv_a.T @ r_g, *([unit_fixed] if final else [])]
            )
            if not previous:
                previous.append(np.zeros((big_p, 1 + k)))
            start = np.zeros_like(both)
            kept = min(previous[0].shape[1], 1 + k)
            start[:, :kept] = previous[0][:, :kept]
            # The estimates exactly; the draws only as well as their sampling error needs: a
            # residual of 1e-3 moves the reported sds by about 1e-4 of themselves, where 32
            # draws leave a sampling error of a quarter on each, and saves a fifth of the steps.
            tols = np.full(both.shape[1], 1e-9)
            tols[1 : 1 + k] = 1e-3
            tols[1 + k :] = 1e-7  # the fixed effects' covariance, only reported
            solved = _batched_cg(s_sp, both, start, tols, fixed=p)
            previous[0] = solved[:, : 1 + k]
            theta = solved[:, 0]
            fixed_cov = solved[:p, 1 + k :] if final else np.full((p, p), np.nan)
            inverse = _SampledInverse(solved[:, 1 : 1 + k], fixed_cov)
        g = b_inv @ (data.zty - a @ theta)
        c_gg = blocks.inverse_diagonal(block_inverse) + inverse.quadratic(b_inv_a)
        return _Solution(b_inv, b_inv_a, theta, g, c_gg, inverse)

    n_params = 2 + n_groups

    def settle(sol: _Solution, params: FloatArray, imputed: FloatArray) -> FloatArray:
        # A censored score and the effects that explain it feed each other: each EM step
        # closes only part of the gap between them, and as the organisation grows so does
        # the number of scores and the steps the slowest of them needs. With the fixed
        # effects held, a person's effects are their block's alone and each rater's leniency
        # is a sum over their own scores, so a few cheap rounds over effects and latent
        # scores (block Gauss-Seidel, no solve of the whole system) close most of that gap
        # within the step. A fixed point of the step is still one of EM: there the rounds
        # do not move.
        assert censored is not None
        sigma2, sigma_b2, _group_var = _unpack(params)
        theta = sol.theta.copy()
        rater_diagonal = wtw_diagonal[p:] + sigma2 / sigma_b2
        for _ in range(settle_rounds):
            g = sol.b_inv @ (data.zty_with(imputed) - a @ theta)
            gap = data.wty_with(imputed) - wtw_sparse @ theta - a_t @ g
            theta[p:] += (gap[p:] - sigma2 / sigma_b2 * theta[p:]) / rater_diagonal
            imputed, _spread = censored.expect(w_cens @ theta + z_cens @ g, sigma2)
        return imputed

    def em_step(state: FloatArray) -> tuple[FloatArray, _Solution]:
        params = state[:n_params]
        sigma2, _sigma_b2, _group_var = _unpack(params)
        if censored is not None:
            data.impute(state[n_params:])
        sol = solve(params)
        g, b = sol.g, sol.theta[p:]
        expected_sq = g**2 + sigma2 * sol.c_gg
        new_group_var = np.bincount(effect_group, weights=expected_sq, minlength=n_groups)
        new_group_var = new_group_var / group_size
        trace_bb = float(np.sum(sol.inverse.rater_diagonal(p)))
        tied_sum = float(np.sum(expected_sq[tied]))
        new_sigma_b2 = (float(b @ b) + sigma2 * trace_bb + tied_sum) / (n_raters + n_tied)
        residual = data.yty - float(sol.theta @ data.wty) - float(g @ data.zty)
        imputed = np.zeros(0)
        if censored is not None:
            # The E-step for the censored scores: each is replaced by its expectation beyond
            # the threshold, and its conditional variance joins the residual sum of squares.
            fitted = w_cens @ sol.theta + z_cens @ g
            imputed, spread = censored.expect(fitted, sigma2)
            residual += float(np.sum(spread)) + float(
                np.sum((imputed - data.y[cens_at]) * (imputed + data.y[cens_at] - 2 * fitted))
            )
            imputed = settle(sol, params, imputed)
        new_sigma2 = residual / (n - p)
        if rater_group is not None:
            new_group_var[rater_group] = new_sigma_b2
        new = np.concatenate([[new_sigma2, new_sigma_b2], new_group_var])
        return np.concatenate([np.log(np.maximum(new, floor)), imputed]), sol

    # The default tolerance, 3e-4 in the log variances, is far inside their own sampling
    # error and the Monte Carlo error of the traces the sampled path estimates them with
    # (percents); against a fit run to 1e-5 it moves estimates by under 4e-4 of a level (a
    # fiftieth of their error) and saves an EM step of seven at 20,000 people.
    def done(new: FloatArray, old: FloatArray) -> bool:
        # Relative change for the components that matter; absolute change (against the data's
        # variance) for those heading to zero, which EM approaches too slowly to wait for.
        # Imputed scores: absolute change against the data's spread.
        new_p, old_p = new[:n_params], old[:n_params]
        relative = np.abs(new_p - old_p) < tol
        absolute = np.abs(np.exp(new_p) - np.exp(old_p)) < tol * total_var
        scores = np.abs(new[n_params:] - old[n_params:]) < 10 * tol * np.sqrt(total_var)
        return bool(np.all(relative | absolute) and np.all(scores))

    if start_variances is None:
        start = np.full(n_params, np.log(max(0.25 * total_var, floor)))
        start[0] = np.log(max(0.5 * total_var, floor))
    else:
        start = np.log(np.maximum(np.asarray(start_variances, dtype=float), floor))
    start = np.concatenate([start, y[cens_at]])
    state, iterations, converged = _squarem(em_step, done, start, max_iter)
    params = state[:n_params]
    if censored is not None:
        data.impute(state[n_params:])
    sol = solve(params, final=True)
    sigma2, sigma_b2, group_var = _unpack(params)
    b_inv, theta, g = sol.b_inv, sol.theta, sol.g
    b = theta[p:]
    effect_variance = sigma2 * sol.c_gg
    # A target's error is h'(g_hat - g) + (target_x, 0)'(theta_hat - theta); with the g block
    # eliminated its variance is h'B^-1 h + m S^-1 m' with m = (target_x, 0) - h'B^-1 A.
    n_targets = target_x.shape[0]
    kt = target_effects.shape[1]
    h = sp.csr_matrix(
        (np.ones(n_targets * kt), (np.repeat(np.arange(n_targets), kt), target_effects.ravel())),
        shape=(n_targets, q),
    )
    h_b_inv = (h @ b_inv).tocsr()
    own = np.asarray(h_b_inv.multiply(h).sum(axis=1)).ravel()
    m = sp.hstack([sp.csr_matrix(target_x), sp.csr_matrix((n_targets, n_raters))]) - (h_b_inv @ a)
    m = sp.csr_matrix(m)
    m.eliminate_zeros()
    target_variance = sigma2 * (own + sol.inverse.quadratic(m))
    beta = theta[:p]
    return CrossedFit(
        beta=beta,
        beta_cov=sigma2 * sol.inverse.fixed_block(p),
        effect=g,
        effect_variance=effect_variance,
        target_estimate=target_x @ beta + h @ g,
        target_variance=target_variance,
        rater_effect=b,
        rater_variance=sigma2 * sol.inverse.rater_diagonal(p),
        sigma2=float(sigma2),
        group_variance=group_var.copy(),
        sigma_b2=float(sigma_b2),
        iterations=iterations,
        converged=converged,
        latent=data.y.copy(),
    )
