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
equations, solved exactly, see ``mixed_model.py``), and the interval for a person's level is
``estimate +- z * sqrt(PEV)``, where PEV is the prediction error variance from the inverse of
those equations: it includes the uncertainty of the capability mean, of the relationship
effects and of every rater's leniency, so a person rated by unknown, rarely seen raters gets a
wider interval than one rated by well-known raters.

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

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from scipy.stats import norm
from threadpoolctl import threadpool_limits

from leadshift.assessments.mixed_model import fit_crossed

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


@dataclass
class _Prepared:
    """The ratings split into self and others, with names mapped to indices."""

    cells: list[tuple[str, str]]
    self_score: dict[tuple[str, str], int]
    others: list[Rating]
    n_self: int


def _prepare(ratings: Iterable[Rating], min_level: int, max_level: int) -> _Prepared:
    cells: set[tuple[str, str]] = set()
    self_score: dict[tuple[str, str], int] = {}
    others: list[Rating] = []
    n_self = 0
    for r in ratings:
        if r.relationship not in RELATIONSHIPS:
            raise ValueError(f"unknown relationship {r.relationship!r}")
        if r.score is not None and not min_level <= r.score <= max_level:
            raise ValueError(f"score {r.score} is outside {min_level}..{max_level}")
        if (r.relationship == "self") != (r.rater == r.subject):
            raise ValueError(
                f"{r.rater!r} rating {r.subject!r} as {r.relationship!r}: self-ratings, and "
                "only they, have the subject as rater"
            )
        cells.add((r.subject, r.capability))
        if r.score is None:
            continue
        if r.relationship == "self":
            self_score[(r.subject, r.capability)] = r.score
            n_self += 1
        else:
            others.append(r)
    return _Prepared(sorted(cells), self_score, others, n_self)


def _plain_means(
    others: Sequence[Rating],
) -> tuple[dict[tuple[str, str], float], dict[tuple[str, str], int], float]:
    """Per-cell mean and count of other raters' scores, and the pooled within-cell sd."""
    sums: dict[tuple[str, str], float] = {}
    sq: dict[tuple[str, str], float] = {}
    counts: dict[tuple[str, str], int] = {}
    for r in others:
        assert r.score is not None
        key = (r.subject, r.capability)
        sums[key] = sums.get(key, 0.0) + r.score
        sq[key] = sq.get(key, 0.0) + r.score**2
        counts[key] = counts.get(key, 0) + 1
    means = {k: sums[k] / counts[k] for k in sums}
    within = sum(sq[k] - counts[k] * means[k] ** 2 for k in sums)
    dof = sum(counts[k] - 1 for k in sums)
    if dof > 0:
        pooled = float(np.sqrt(max(within, 0.0) / dof))
    else:
        scores = np.array([r.score for r in others], dtype=float)
        pooled = float(scores.std()) if scores.size > 1 else 0.0
    return means, counts, pooled


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
    prep = _prepare(ratings, min_level, max_level)
    pool = list(prep.others)
    if include_self:
        pool += [
            Rating(s, s, "self", c, score) for (s, c), score in sorted(prep.self_score.items())
        ]
    means, counts, pooled = _plain_means(pool)
    others_counts = _plain_means(prep.others)[1] if include_self else counts
    z = float(norm.ppf(0.5 + interval / 2))
    subjects = []
    for key in prep.cells:
        n = counts.get(key, 0)
        mean = means.get(key)
        half = z * pooled / np.sqrt(n) if n else None
        subjects.append(
            SubjectScore(
                subject=key[0],
                capability=key[1],
                estimate=mean,
                low=None if mean is None or half is None else mean - half,
                high=None if mean is None or half is None else mean + half,
                sd=None if n == 0 else pooled / np.sqrt(n),
                n_raters=others_counts.get(key, 0),
                self_score=prep.self_score.get(key),
                mean=mean,
                min_level=min_level,
                max_level=max_level,
            )
        )
    # A rater's naive severity: how far below the cell means their scores sit, on average.
    dev: dict[str, list[float]] = {}
    subj: dict[str, set[str]] = {}
    for r in prep.others:
        assert r.score is not None
        dev.setdefault(r.rater, []).append(means[(r.subject, r.capability)] - r.score)
        subj.setdefault(r.rater, set()).add(r.subject)
    raters = [
        RaterSeverity(
            rater=name,
            severity=float(np.mean(dev[name])),
            sd=pooled / np.sqrt(len(dev[name])),
            n_ratings=len(dev[name]),
            n_subjects=len(subj[name]),
        )
        for name in sorted(dev)
    ]
    capability_means: dict[str, list[float]] = {}
    for (_, c), m in means.items():
        capability_means.setdefault(c, []).append(m)
    return ScoringResult(
        method="mean",
        interval=interval,
        subjects=subjects,
        raters=raters,
        relationships=[],
        capability_means={c: float(np.mean(v)) for c, v in sorted(capability_means.items())},
        diagnostics=Diagnostics(
            variance_components={"residual": pooled**2},
            iterations=0,
            converged=True,
            n_ratings=len(prep.others),
            n_self_ratings=prep.n_self,
        ),
    )


def fit_model(
    ratings: Iterable[Rating],
    *,
    min_level: int,
    max_level: int,
    interval: float = 0.8,
    tol: float = 1e-4,
    max_iter: int = 500,
    dense_limit: int = 600,
) -> ScoringResult:
    """Fit the crossed mixed model (see the module docstring) over the whole organisation.

    Up to ``dense_limit`` raters who rated several people the equations are inverted exactly;
    beyond, they are solved iteratively and the uncertainty is estimated by sampling (see
    ``mixed_model.fit_crossed``), so the fit grows linearly with the organisation."""
    prep = _prepare(ratings, min_level, max_level)
    others = prep.others
    if not others:
        raise ValueError("no ratings by anyone other than the subjects themselves")
    means, counts, _pooled = _plain_means(others)

    capabilities = sorted({r.capability for r in others})
    cap_index = {c: i for i, c in enumerate(capabilities)}
    fitted_cells = sorted(means)
    cell_index = {k: i for i, k in enumerate(fitted_cells)}
    rater_names = sorted({r.rater for r in others})
    rater_subjects: dict[str, set[str]] = {}
    for r in others:
        rater_subjects.setdefault(r.rater, set()).add(r.subject)
    # Raters seen on one person only are fitted inside that person's block of effects (the
    # same model, a smaller dense system); the rest form the dense rater part.
    dense_raters = [name for name in rater_names if len(rater_subjects[name]) > 1]
    rater_index = {name: i for i, name in enumerate(dense_raters)}
    rels = [k for k in OTHER_RELATIONSHIPS if any(r.relationship == k for r in others)]
    # A relationship all of whose ratings come from one rater: that rater's severity and the
    # relationship's effect are the same column of the design. Left free, the unpenalised
    # relationship effect takes the whole severity and the constraint that relationship
    # effects average zero moves every estimate; fixed at 0, the severity goes to the rater,
    # whose effect the other raters of the same people calibrate.
    raters_in: dict[str, set[str]] = {}
    for r in others:
        raters_in.setdefault(r.relationship, set()).add(r.rater)
    fixed = [k for k in rels if len(raters_in[k]) == 1 and len(rels) > 1]
    notes = tuple(
        f"all {k} ratings come from one rater ({next(iter(raters_in[k]))!r}): a {k} effect "
        f"cannot be told from that rater's severity, so it is fixed at 0 and the difference is "
        f"counted as the rater's severity"
        for k in fixed
    )
    free = [k for k in rels if k not in fixed]

    n = len(others)
    y = np.array([r.score for r in others], dtype=float)
    cap = np.array([cap_index[r.capability] for r in others], dtype=np.intp)
    cell = np.array([cell_index[(r.subject, r.capability)] for r in others], dtype=np.intp)
    rater = np.array([rater_index.get(r.rater, -1) for r in others], dtype=np.intp)
    rel_all = np.array([rels.index(r.relationship) for r in others], dtype=np.intp)
    rel_count = np.bincount(rel_all, minlength=len(rels))
    free_index = {k: i for i, k in enumerate(free)}
    rel = np.array([free_index.get(r.relationship, -1) for r in others], dtype=np.intp)
    rel_n = np.array([rel_count[rels.index(k)] for k in free], dtype=float)

    # Relationship effects as contrasts against the last one, so that they sum to zero
    # weighted by how many ratings each relationship gave: the capability mean is then the
    # level the average rating reflects, not the level one relationship gives.
    n_cap, n_rel = len(capabilities), len(free)
    x = np.zeros((n, n_cap + max(n_rel - 1, 0)))
    x[np.arange(n), cap] = 1.0
    for k in range(n_rel - 1):
        x[:, n_cap + k] = (rel == k) - (rel == n_rel - 1) * (rel_n[k] / rel_n[-1])
    # The random effects, numbered subject by subject: the person's general level, then their
    # distance from it on each capability they were rated on.
    subject_names = sorted({s for s, _ in fitted_cells})
    single_raters: dict[str, list[str]] = {}
    for name in rater_names:
        if name not in rater_index:
            single_raters.setdefault(next(iter(rater_subjects[name])), []).append(name)
    rater_group = 1 + len(capabilities)
    effect_block: list[int] = []
    effect_group: list[int] = []
    person_effect: dict[str, int] = {}
    rater_effect: dict[str, int] = {}
    cell_effect = np.zeros(len(fitted_cells), dtype=np.intp)
    j = 0
    for b, name in enumerate(subject_names):
        person_effect[name] = len(effect_block)
        effect_block.append(b)
        effect_group.append(0)
        while j < len(fitted_cells) and fitted_cells[j][0] == name:
            cell_effect[j] = len(effect_block)
            effect_block.append(b)
            effect_group.append(1 + cap_index[fitted_cells[j][1]])
            j += 1
        for rater_name in single_raters.get(name, []):
            rater_effect[rater_name] = len(effect_block)
            effect_block.append(b)
            effect_group.append(rater_group)
    cell_person = np.array([person_effect[s] for s, _ in fitted_cells], dtype=np.intp)
    targets = np.column_stack([cell_person, cell_effect])
    block_rater = np.array([rater_effect.get(r.rater, -1) for r in others], dtype=np.intp)
    obs_effects = np.column_stack([targets[cell], block_rater])
    cell_cap = np.array([cap_index[c] for _, c in fitted_cells], dtype=np.intp)
    cell_x = np.zeros((len(fitted_cells), x.shape[1]))
    cell_x[np.arange(len(fitted_cells)), cell_cap] = 1.0

    # The equations are many small dense solves: BLAS threads only contend with each other
    # and with the web server (a 2,000-person fit ran several times faster with one thread).
    with threadpool_limits(limits=1, user_api="blas"):
        fit = fit_crossed(
            y,
            x,
            obs_effects,
            np.array(effect_block, dtype=np.intp),
            np.array(effect_group, dtype=np.intp),
            rater,
            cell_x,
            targets,
            rater_group=rater_group,
            tol=tol,
            max_iter=max_iter,
            dense_limit=dense_limit,
        )

    z = float(norm.ppf(0.5 + interval / 2))
    subjects = []
    for key in prep.cells:
        target = cell_index.get(key)
        estimate = low = high = sd = None
        if target is not None:
            estimate = float(fit.target_estimate[target])
            sd = float(np.sqrt(fit.target_variance[target]))
            low, high = estimate - z * sd, estimate + z * sd
        subjects.append(
            SubjectScore(
                subject=key[0],
                capability=key[1],
                estimate=estimate,
                low=low,
                high=high,
                sd=sd,
                n_raters=counts.get(key, 0),
                self_score=prep.self_score.get(key),
                mean=means.get(key),
                min_level=min_level,
                max_level=max_level,
            )
        )

    rater_n: dict[str, int] = {}
    for r in others:
        rater_n[r.rater] = rater_n.get(r.rater, 0) + 1
    raters = []
    for name in rater_names:
        if name in rater_index:
            effect = fit.rater_effect[rater_index[name]]
            variance = fit.rater_variance[rater_index[name]]
        else:
            effect = fit.effect[rater_effect[name]]
            variance = fit.effect_variance[rater_effect[name]]
        raters.append(
            RaterSeverity(
                rater=name,
                severity=float(-effect),
                sd=float(np.sqrt(variance)),
                n_ratings=rater_n[name],
                n_subjects=len(rater_subjects[name]),
            )
        )

    # The last relationship's effect is implied by the constraint; its variance follows from
    # the contrasts' covariance through the same linear map.
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
            n_self_ratings=prep.n_self,
            notes=notes,
        ),
    )


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
