"""Scoring 360 feedback: each person's level per capability, corrected for who rated them.

The model
---------
For every rating by someone other than the subject::

    score = mu[capability] + u[subject, capability] + s[rater] + r[relationship] + e

* ``mu[c]`` is the organisation's mean level on capability ``c`` (fixed);
* ``u[s, c]`` is the person's distance from it, a random effect with a variance of its own
  per capability, so a person rated by few is pulled toward the capability mean (partial
  pooling) and a person rated by many is not;
* ``s[r]`` is the rater's leniency, a random effect with mean 0: a rater seen on many people
  gets a well-determined leniency, one seen once gets almost none (shrinkage does the work,
  no rule about "at least k ratings" is needed); severity is reported as ``-s[r]``;
* ``r[relationship]`` is a fixed effect per relationship (manager, peer, report,
  stakeholder), constrained to average zero over the ratings given;
* ``e`` is residual noise.

The variance components are estimated by REML (EM iterations on Henderson's mixed model
equations, see ``mixed_model.py``). Scores at the ends of the scale are treated as censored
(a 5 says the rater's judgement was 4.5 or more, see ``mixed_model.Censoring``), so a lenient
rater's 5 for a strong person does not read as a judgement of exactly 5.

The estimate is the model's prediction (BLUP): it borrows strength from the whole
organisation, which makes it the most accurate on average. The interval is built from the
person's own ratings instead, with each rater's estimated leniency and the relationship
effects taken out, and their uncertainty counted (``_own_level``): the borrowed strength pulls
the people furthest from the mean toward it, and an interval around the pooled estimate held
the truth 80 % of the time over everyone but only 60 % of the time for true levels >= 4 or
<= 2. The interval from the person's own ratings holds about 80 % of the time at every level;
it is stretched to hold the estimate in the rare case that pooling moved it further. ``sd``
is the estimate's prediction error.

Why this model and not another
------------------------------
* A plain mean leaves each rater's leniency in the scores of the few people they rate; with
  about eight raters each, the leniency of raters with a standard deviation of 0.6 levels
  moves a person's mean by about 0.2 levels: as much as the rating noise.
* A linear mixed model with crossed rater and subject effects is the classical answer to
  exactly this design (raters crossed with ratees, incomplete and unbalanced); it gives
  estimates on the same scale as the scores, so they read as levels, and it fits in seconds
  for thousands of people because the subject block of its equations is diagonal.
* A many-facet Rasch model treats the levels as ordered categories, which is more faithful
  at the ends of the scale, but its estimates are on a logit scale that has to be mapped back
  to levels for people to read, and it is slower to fit. The linear model's weakness at the
  ends (a lenient rater cannot score a top person above the top level) shows as slightly
  conservative estimates there; the benchmark (``benchmarks/bench_scoring.py``) measures the
  error and coverage with scores rounded and clipped to the levels, so the cost is counted.
* Self-ratings are excluded from the fit and reported beside: they run high and would enter
  each person's own estimate alone, with no other rater to calibrate them against.

Determinism: no randomness; subjects, raters and capabilities are ordered by name.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from itertools import repeat
from typing import Literal

import numpy as np
from scipy.special import ndtri
from threadpoolctl import ThreadpoolController

from leadshift.assessments.mixed_model import Censoring, CrossedFit, fit_crossed
from leadshift.assessments.rating_table import FloatArray, IntArray, RatingTable, rating_table

RELATIONSHIPS = ("self", "manager", "peer", "report", "stakeholder")
OTHER_RELATIONSHIPS = RELATIONSHIPS[1:]
Method = Literal["model", "mean"]


@dataclass(frozen=True)
class Rating:
    subject: str
    rater: str
    relationship: str
    capability: str
    score: int | None
    """An integer level, or None for "can't say"."""


@dataclass(frozen=True)
class SubjectScore:
    subject: str
    capability: str
    estimate: float | None
    """The person's level on the score scale, unclipped; None when no one else rated it."""
    low: float | None
    high: float | None
    sd: float | None
    n_raters: int
    self_score: int | None
    mean: float | None
    """The plain mean of the other raters' scores, for comparison."""
    min_level: int
    max_level: int

    def _clip(self, value: float | None) -> float | None:
        if value is None:
            return None
        return min(max(value, self.min_level), self.max_level)

    @property
    def display_estimate(self) -> float | None:
        return self._clip(self.estimate)

    @property
    def display_low(self) -> float | None:
        return self._clip(self.low)

    @property
    def display_high(self) -> float | None:
        return self._clip(self.high)


@dataclass(frozen=True)
class RaterSeverity:
    rater: str
    severity: float
    """Levels below the average rater this rater scores the same people (negative: lenient)."""
    sd: float
    n_ratings: int
    n_subjects: int


@dataclass(frozen=True)
class RelationshipEffect:
    relationship: str
    effect: float
    """Levels above the average rating that raters in this relationship give."""
    sd: float
    n_ratings: int
    identified: bool = True
    """False when one rater gave all of this relationship's ratings: the effect is then fixed
    at 0 and what sets the group apart is counted as that rater's severity."""


@dataclass(frozen=True)
class Diagnostics:
    variance_components: dict[str, float]
    iterations: int
    converged: bool
    n_ratings: int
    n_self_ratings: int
    notes: tuple[str, ...] = ()
    """What the data could not tell apart, and what the model did about it, in words."""


@dataclass(frozen=True)
class ScoringResult:
    method: Method
    interval: float
    subjects: list[SubjectScore]
    raters: list[RaterSeverity]
    relationships: list[RelationshipEffect]
    capability_means: dict[str, float]
    diagnostics: Diagnostics
    _index: dict[tuple[str, str], SubjectScore] = field(
        default_factory=dict, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        self._index.update({(s.subject, s.capability): s for s in self.subjects})

    def get(self, subject: str, capability: str) -> SubjectScore:
        return self._index[(subject, capability)]

    def rater(self, rater: str) -> RaterSeverity:
        for r in self.raters:
            if r.rater == rater:
                return r
        raise KeyError(rater)


def _table(ratings: Iterable[Rating], min_level: int, max_level: int) -> RatingTable:
    return rating_table(ratings, min_level, max_level, RELATIONSHIPS)


def _subject_scores(
    table: RatingTable,
    *,
    estimate: FloatArray,
    low: FloatArray,
    high: FloatArray,
    sd: FloatArray,
    n_raters: IntArray,
    mean: FloatArray,
    min_level: int,
    max_level: int,
) -> list[SubjectScore]:
    """One score per cell; NaN in the arrays reads as None (no one else rated the cell)."""

    def floats(values: FloatArray) -> list[float | None]:
        return [None if v != v else v for v in values.tolist()]

    subjects, capabilities = table.cell_names()
    # Positional arguments through map: an organisation of 20,000 has 140,000 cells, and
    # keyword calls from a comprehension took as long as reading the ratings.
    return list(
        map(
            SubjectScore,
            subjects,
            capabilities,
            floats(estimate),
            floats(low),
            floats(high),
            floats(sd),
            n_raters.tolist(),
            [None if own < 0 else own for own in table.self_score.tolist()],
            floats(mean),
            repeat(min_level, len(subjects)),
            repeat(max_level, len(subjects)),
        )
    )


def fit_mean(
    ratings: Iterable[Rating],
    *,
    min_level: int,
    max_level: int,
    interval: float = 0.8,
    include_self: bool = False,
) -> ScoringResult:
    """The plain mean of other raters' scores, with a normal interval from the pooled sd.

    ``include_self`` mixes the self-rating into the mean, as many 360 tools do; it exists for
    comparison in the benchmark.
    """
    table = _table(ratings, min_level, max_level)
    n_cells = len(table.cell_subject)
    means, others_counts, pooled = table.plain_means()
    counts = others_counts
    if include_self:
        own = np.flatnonzero(table.self_score >= 0)
        pool_cell = np.concatenate([table.cell, own])
        pool_score = np.concatenate([table.score, table.self_score[own].astype(float)])
        pooled_table = RatingTable(
            **{**table.__dict__, "cell": pool_cell, "score": pool_score},
        )
        means, counts, pooled = pooled_table.plain_means()
    z = float(ndtri(0.5 + interval / 2))
    with np.errstate(divide="ignore", invalid="ignore"):
        sd = np.where(counts > 0, pooled / np.sqrt(counts), np.nan)
    subjects = _subject_scores(
        table,
        estimate=means,
        low=means - z * sd,
        high=means + z * sd,
        sd=sd,
        n_raters=others_counts,
        mean=means,
        min_level=min_level,
        max_level=max_level,
    )
    # A rater's naive severity: how far below the cell means their scores sit, on average.
    n_raters = len(table.raters)
    given = np.bincount(table.rater, minlength=n_raters)
    dev = np.bincount(table.rater, weights=means[table.cell] - table.score, minlength=n_raters)
    pairs = np.unique(table.rater * max(len(table.subjects), 1) + table.cell_subject[table.cell])
    n_subjects = np.bincount(pairs // max(len(table.subjects), 1), minlength=n_raters)
    raters = [
        RaterSeverity(
            rater=table.raters[k],
            severity=float(dev[k] / given[k]),
            sd=pooled / np.sqrt(given[k]),
            n_ratings=int(given[k]),
            n_subjects=int(n_subjects[k]),
        )
        for k in np.flatnonzero(given)
    ]
    rated = ~np.isnan(means)
    n_cap = len(table.capabilities)
    cap_sum = np.bincount(table.cell_capability[rated], weights=means[rated], minlength=n_cap)
    cap_n = np.bincount(table.cell_capability[rated], minlength=n_cap)
    del n_cells
    return ScoringResult(
        method="mean",
        interval=interval,
        subjects=subjects,
        raters=raters,
        relationships=[],
        capability_means={
            table.capabilities[c]: float(cap_sum[c] / cap_n[c]) for c in np.flatnonzero(cap_n)
        },
        diagnostics=Diagnostics(
            variance_components={"residual": pooled**2},
            iterations=0,
            converged=True,
            n_ratings=len(table.score),
            n_self_ratings=table.n_self,
        ),
    )


def _censoring(y: FloatArray, min_level: int, max_level: int) -> Censoring | None:
    """Scores at the ends of the scale, as censored: a top score says the rater's judgement
    was at least half a level below the top, no more (see ``mixed_model.Censoring``)."""
    if max_level <= min_level:
        return None
    where = np.flatnonzero((y <= min_level) | (y >= max_level))
    above = y[where] >= max_level
    threshold = np.where(above, max_level - 0.5, min_level + 0.5)
    return Censoring(where, above, threshold)


def _moment_variances(
    y: FloatArray,
    cell: IntArray,
    rater: IntArray,
    cell_block: IntArray,
    cell_cap: IntArray,
    n_cap: int,
    cell_mean: FloatArray,
) -> FloatArray:
    """Rough variance components from means and spreads, where the EM starts: each EM step
    is a solve over the whole organisation, and a start near the answer saves several.

    Within a cell the scores differ by rater leniency and noise; a rater's average distance
    from the cells they rate measures their leniency (plus noise); the spread of people's
    means and of their capabilities around them, less what noise explains, the rest."""
    count = np.bincount(cell).astype(float)
    deviation = y - cell_mean[cell]
    dof = max(float(np.sum(count - 1)), 1.0)
    within = float(np.sum(deviation**2)) / dof
    given = np.bincount(rater).astype(float)
    lean = np.bincount(rater, weights=deviation) / np.maximum(given, 1.0)
    seen = given >= 3
    if seen.any():
        sharing = float(np.mean(count / np.maximum(count - 1, 1.0)))
        raw = float(np.average(lean[seen] ** 2, weights=given[seen])) * sharing
        rater_var = raw - within / float(np.mean(given[seen]))
    else:
        rater_var = 0.5 * within
    rater_var = min(max(rater_var, 0.05 * within), 0.95 * within)
    noise = within - rater_var
    n_blocks = int(cell_block.max()) + 1
    cells_in = np.bincount(cell_block, minlength=n_blocks).astype(float)
    person = np.bincount(cell_block, weights=cell_mean, minlength=n_blocks) / cells_in
    # The same raters rate all of a person's capabilities: their leniency moves the person's
    # mean, not a capability's distance from it.
    raters = float(np.mean(count))
    per_person = float(np.mean(cells_in))
    person_error = (rater_var + noise / per_person) / raters
    person_var = max(float(np.var(person)) - person_error, 0.05 * within)
    spread = (cell_mean - person[cell_block]) ** 2
    cap_var = np.bincount(cell_cap, weights=spread, minlength=n_cap) / np.maximum(
        np.bincount(cell_cap, minlength=n_cap), 1
    )
    kept = max(1.0 - 1.0 / per_person, 0.5)
    cap_var = np.maximum(cap_var / kept - noise / raters, 0.05 * within)
    return np.array([noise, rater_var, person_var, *cap_var, rater_var])


@cache
def _threadpools() -> ThreadpoolController:
    """The loaded native thread pools, found once: finding them scans every loaded library,
    which took 5 % of a 2,000-person fit."""
    return ThreadpoolController()


def _rank_within(group: IntArray) -> IntArray:
    """Each element's position among the elements of its group (``group`` non-decreasing)."""
    first = np.searchsorted(group, group)
    return np.arange(len(group)) - first


def fit_model(
    ratings: Iterable[Rating],
    *,
    min_level: int,
    max_level: int,
    interval: float = 0.8,
    tol: float = 3e-4,
    max_iter: int = 500,
    dense_limit: int = 600,
) -> ScoringResult:
    """Fit the crossed mixed model (see the module docstring) over the whole organisation.

    Up to ``dense_limit`` raters who rated several people the equations are inverted exactly;
    beyond, they are solved iteratively and the uncertainty is estimated by sampling (see
    ``mixed_model.fit_crossed``), so the fit grows linearly with the organisation."""
    table = _table(ratings, min_level, max_level)
    n = len(table.score)
    if not n:
        raise ValueError("no ratings by anyone other than the subjects themselves")
    means, counts, _pooled = table.plain_means()
    y = table.score

    # Capabilities, cells and raters as seen in the other raters' scores, in name order.
    caps_seen, cap = np.unique(table.cell_capability[table.cell], return_inverse=True)
    capabilities = [table.capabilities[c] for c in caps_seen.tolist()]
    fitted_cells, cell = np.unique(table.cell, return_inverse=True)
    cell_subject = table.cell_subject[fitted_cells]
    cell_cap = np.searchsorted(caps_seen, table.cell_capability[fitted_cells])
    raters_seen, rater_all = np.unique(table.rater, return_inverse=True)
    n_all_raters = len(raters_seen)
    obs_subject = cell_subject[cell]
    n_subj_codes = max(len(table.subjects), 1)
    pairs = np.unique(rater_all * n_subj_codes + obs_subject)
    rater_n_subjects = np.bincount(pairs // n_subj_codes, minlength=n_all_raters)
    # Raters seen on one person only are fitted inside that person's block of effects (the
    # same model, a smaller dense system); the rest form the dense rater part.
    dense = rater_n_subjects > 1
    dense_index = np.where(dense, np.cumsum(dense) - 1, -1)
    rater = dense_index[rater_all]

    # A relationship all of whose ratings come from one rater: that rater's severity and the
    # relationship's effect are the same column of the design. Left free, the unpenalised
    # relationship effect takes the whole severity and the constraint that relationship
    # effects average zero moves every estimate; fixed at 0, the severity goes to the rater,
    # whose effect the other raters of the same people calibrate.
    rel_count_all = np.bincount(table.relationship, minlength=len(RELATIONSHIPS))
    rels = [k for k in OTHER_RELATIONSHIPS if rel_count_all[RELATIONSHIPS.index(k)]]
    rel_pairs = np.unique(table.relationship * n_all_raters + rater_all)
    raters_per_rel = np.bincount(rel_pairs // n_all_raters, minlength=len(RELATIONSHIPS))
    fixed = [k for k in rels if raters_per_rel[RELATIONSHIPS.index(k)] == 1 and len(rels) > 1]

    def only_rater(k: str) -> str:
        code = int(rel_pairs[rel_pairs // n_all_raters == RELATIONSHIPS.index(k)][0])
        return table.raters[int(raters_seen[code % n_all_raters])]

    notes = tuple(
        f"all {k} ratings come from one rater ({only_rater(k)!r}): a {k} effect "
        f"cannot be told from that rater's severity, so it is fixed at 0 and the difference is "
        f"counted as the rater's severity"
        for k in fixed
    )
    free = [k for k in rels if k not in fixed]
    rel_count = np.array([rel_count_all[RELATIONSHIPS.index(k)] for k in rels], dtype=np.intp)
    free_code = np.full(len(RELATIONSHIPS), -1, dtype=np.intp)
    for i, k in enumerate(free):
        free_code[RELATIONSHIPS.index(k)] = i
    rel = free_code[table.relationship]
    rel_n = np.array([rel_count_all[RELATIONSHIPS.index(k)] for k in free], dtype=float)

    # Relationship effects as contrasts against the last one, so that they sum to zero
    # weighted by how many ratings each relationship gave: the capability mean is then the
    # level the average rating reflects, not the level one relationship gives.
    n_cap, n_rel = len(capabilities), len(free)
    x = np.zeros((n, n_cap + max(n_rel - 1, 0)))
    x[np.arange(n), cap] = 1.0
    for j in range(n_rel - 1):
        x[:, n_cap + j] = (rel == j) - (rel == n_rel - 1) * (rel_n[j] / rel_n[-1])

    # The random effects, numbered subject by subject: the person's general level, then their
    # distance from it on each capability they were rated on, then the raters seen on that
    # person alone.
    subjects_seen, cell_block = np.unique(cell_subject, return_inverse=True)
    n_blocks = len(subjects_seen)
    single = np.flatnonzero(~dense)
    single_subject = np.zeros(n_all_raters, dtype=np.intp)
    single_subject[rater_all] = obs_subject
    single_block = np.searchsorted(subjects_seen, single_subject[single])
    by_block = np.argsort(single_block, kind="stable")  # rater code order within a block
    single, single_block = single[by_block], single_block[by_block]
    cells_per_block = np.bincount(cell_block, minlength=n_blocks)
    singles_per_block = np.bincount(single_block, minlength=n_blocks)
    size = 1 + cells_per_block + singles_per_block
    block_start = np.concatenate([[0], np.cumsum(size)[:-1]])
    person_effect = block_start
    cell_effect = block_start[cell_block] + 1 + _rank_within(cell_block)
    single_effect = np.full(n_all_raters, -1, dtype=np.intp)
    single_effect[single] = (
        block_start[single_block] + 1 + cells_per_block[single_block] + _rank_within(single_block)
    )
    q = int(size.sum())
    effect_block = np.repeat(np.arange(n_blocks), size)
    rater_group = 1 + n_cap
    effect_group = np.zeros(q, dtype=np.intp)
    effect_group[cell_effect] = 1 + cell_cap
    effect_group[single_effect[single]] = rater_group
    targets = np.column_stack([person_effect[cell_block], cell_effect])
    block_rater = single_effect[rater_all]
    obs_effects = np.column_stack([targets[cell], block_rater])
    cell_x = np.zeros((len(fitted_cells), x.shape[1]))
    cell_x[np.arange(len(fitted_cells)), cell_cap] = 1.0

    # The equations are many small dense solves: BLAS threads only contend with each other
    # and with the web server (a 2,000-person fit ran several times faster with one thread).
    with _threadpools().limit(limits=1, user_api="blas"):
        fit = fit_crossed(
            y,
            x,
            obs_effects,
            effect_block,
            effect_group,
            rater,
            cell_x,
            targets,
            rater_group=rater_group,
            censored=_censoring(y, min_level, max_level),
            start_variances=_moment_variances(
                y, cell, rater_all, cell_block, cell_cap, n_cap, means[fitted_cells]
            ),
            tol=tol,
            max_iter=max_iter,
            dense_limit=dense_limit,
        )

    z = float(ndtri(0.5 + interval / 2))
    n_cells = len(table.cell_subject)
    estimate = np.full(n_cells, np.nan)
    sd = np.full(n_cells, np.nan)
    estimate[fitted_cells] = fit.target_estimate
    sd[fitted_cells] = np.sqrt(fit.target_variance)
    level, level_sd = _own_level(fit, x, cell, cell_x, rater, block_rater)
    low = np.full(n_cells, np.nan)
    high = np.full(n_cells, np.nan)
    # The interval from the person's own ratings (see ``_own_level``), stretched to hold the
    # estimate in the rare case that pooling moved it further.
    low[fitted_cells] = np.minimum(level - z * level_sd, fit.target_estimate)
    high[fitted_cells] = np.maximum(level + z * level_sd, fit.target_estimate)
    subjects = _subject_scores(
        table,
        estimate=estimate,
        low=low,
        high=high,
        sd=sd,
        n_raters=counts,
        mean=means,
        min_level=min_level,
        max_level=max_level,
    )

    rater_n = np.bincount(rater_all, minlength=n_all_raters)
    effect = np.empty(n_all_raters)
    variance = np.empty(n_all_raters)
    effect[dense] = fit.rater_effect
    variance[dense] = fit.rater_variance
    effect[single] = fit.effect[single_effect[single]]
    variance[single] = fit.effect_variance[single_effect[single]]
    raters = [
        RaterSeverity(
            rater=table.raters[code],
            severity=-e,
            sd=float(np.sqrt(v)),
            n_ratings=k,
            n_subjects=m,
        )
        for code, e, v, k, m in zip(
            raters_seen.tolist(),
            effect.tolist(),
            variance.tolist(),
            rater_n.tolist(),
            rater_n_subjects.tolist(),
            strict=True,
        )
    ]

    # The last relationship's effect is implied by the constraint; its variance follows from
    # the contrasts' covariance through the same linear map.
    free_index = {k: i for i, k in enumerate(free)}
    contrast_cov = fit.beta_cov[n_cap:, n_cap:]
    effects = list(fit.beta[n_cap:])
    weights = -rel_n[:-1] / rel_n[-1] if n_rel else np.zeros(0)
    effects.append(float(weights @ fit.beta[n_cap:]) if n_rel > 1 else 0.0)
    variances = [*np.diag(contrast_cov), float(weights @ contrast_cov @ weights)]
    relationships = [
        RelationshipEffect(
            relationship=name,
            effect=float(effects[free_index[name]]) if name in free_index else 0.0,
            sd=float(np.sqrt(max(variances[free_index[name]], 0.0))) if name in free_index else 0.0,
            n_ratings=int(rel_count[k]),
            identified=name in free_index,
        )
        for k, name in enumerate(rels)
    ]

    components = {
        "residual": fit.sigma2,
        "rater": fit.sigma_b2,
        "subject": float(fit.group_variance[0]),
    }
    components.update(
        {f"subject:{c}": float(fit.group_variance[1 + i]) for i, c in enumerate(capabilities)}
    )
    return ScoringResult(
        method="model",
        interval=interval,
        subjects=subjects,
        raters=raters,
        relationships=relationships,
        capability_means={c: float(fit.beta[i]) for i, c in enumerate(capabilities)},
        diagnostics=Diagnostics(
            variance_components=components,
            iterations=fit.iterations,
            converged=fit.converged,
            n_ratings=n,
            n_self_ratings=table.n_self,
            notes=notes,
        ),
    )


def _own_level(
    fit: CrossedFit,
    x: FloatArray,
    cell: IntArray,
    cell_x: FloatArray,
    rater: IntArray,
    block_rater: IntArray,
) -> tuple[FloatArray, FloatArray]:
    """Each cell's level from its own ratings, corrected for raters and relationships, and
    its standard error given the person's true level.

    The model's estimate borrows from the rest of the organisation, which makes it more
    accurate on average but pulls the people at the ends of the scale toward the middle: an
    interval around it holds the truth 80 % of the time over everyone, yet far less often for
    the people furthest from the mean (0.6 at true levels >= 4 or <= 2 in the benchmark). The
    interval is therefore built from the person's own ratings, with each rater's estimated
    severity taken out (the severity's own error counted) and the latent value of scores at
    the ends of the scale (see ``Censoring``): it holds about 80 % of the time at every
    level, the ends included.

    A rater seen on this person alone carries no severity the data could separate from the
    person's level; their severity is counted as an unknown of the raters' spread.
    """
    n_cells = cell_x.shape[0]
    # Index -1 (no rater in the dense part) reads the appended 0.
    rater_part = np.append(fit.rater_effect, 0.0)[rater]
    residual = fit.latent - x @ fit.beta - rater_part
    count = np.bincount(cell, minlength=n_cells).astype(float)
    level = cell_x @ fit.beta + np.bincount(cell, weights=residual, minlength=n_cells) / count
    rater_error = np.append(fit.rater_variance, 0.0)[rater]
    rater_error[block_rater >= 0] = fit.sigma_b2
    cap_error = np.einsum("ij,jk,ik->i", cell_x, fit.beta_cov, cell_x)
    variance = (
        fit.sigma2 / count
        + np.bincount(cell, weights=rater_error, minlength=n_cells) / count**2
        + cap_error
    )
    return level, np.sqrt(variance)


def score(
    ratings: Iterable[Rating],
    method: Method = "model",
    *,
    min_level: int,
    max_level: int,
    interval: float = 0.8,
) -> ScoringResult:
    """Score the ratings with the mixed model (the default) or the plain mean."""
    if not 0 < interval < 1:
        raise ValueError("the interval must be a probability between 0 and 1")
    if method == "model":
        return fit_model(ratings, min_level=min_level, max_level=max_level, interval=interval)
    if method == "mean":
        return fit_mean(ratings, min_level=min_level, max_level=max_level, interval=interval)
    raise ValueError(f"unknown method {method!r}: use 'model' or 'mean'")
