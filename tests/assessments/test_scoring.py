from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leadshift.assessments.scoring import Rating, fit_mean, fit_model, score
from leadshift.assessments.synthetic import simulate_organisation


@pytest.fixture(scope="module")
def org():
    return simulate_organisation(120, leniency_sd=0.7, seed=3)


@pytest.fixture(scope="module")
def model(org):
    return fit_model(org.ratings, min_level=1, max_level=5)


def _errors(result, org):
    return np.array(
        [
            s.display_estimate - org.true_level[(s.subject, s.capability)]
            for s in result.subjects
            if s.estimate is not None
        ]
    )


def test_it_recovers_the_known_severity_of_raters_who_rate_several_people(org, model):
    seen = [r for r in model.raters if r.n_subjects >= 4]
    assert len(seen) > 50
    estimated = np.array([r.severity for r in seen])
    true = np.array([-org.true_leniency[r.rater] for r in seen])
    assert np.corrcoef(estimated, true)[0, 1] > 0.85
    assert np.sqrt(np.mean((estimated - true) ** 2)) < 0.3


def test_the_model_beats_the_plain_mean_when_raters_are_lenient_or_severe(org, model):
    mean = fit_mean(org.ratings, min_level=1, max_level=5)
    model_rmse = np.sqrt(np.mean(_errors(model, org) ** 2))
    mean_rmse = np.sqrt(np.mean(_errors(mean, org) ** 2))
    assert model_rmse < 0.8 * mean_rmse


def test_its_80_percent_intervals_hold_the_truth_about_80_percent_of_the_time(org, model):
    held = [
        s.low <= org.true_level[(s.subject, s.capability)] <= s.high
        for s in model.subjects
        if s.estimate is not None
    ]
    assert 0.7 < np.mean(held) < 0.9


def test_self_ratings_are_reported_beside_and_do_not_move_the_estimate(org, model):
    others = [r for r in org.ratings if r.relationship != "self"]
    without_self = fit_model(others, min_level=1, max_level=5)
    first = model.subjects[0]
    assert first.self_score is not None
    assert without_self.subjects[0].self_score is None
    assert without_self.subjects[0].estimate == pytest.approx(first.estimate, abs=1e-9)
    assert model.diagnostics.n_self_ratings == 120 * 7


def test_a_person_rated_by_more_people_gets_a_narrower_interval(model):
    by_n: dict[int, list[float]] = {}
    for s in model.subjects:
        if s.sd is not None:
            by_n.setdefault(s.n_raters, []).append(s.sd)
    few, many = min(by_n), max(by_n)
    assert np.mean(by_n[few]) > np.mean(by_n[many])


def test_it_is_deterministic(org, model):
    again = fit_model(list(reversed(org.ratings)), min_level=1, max_level=5)
    assert [s.estimate for s in again.subjects] == pytest.approx(
        [s.estimate for s in model.subjects], abs=1e-9
    )


def test_a_cell_rated_only_by_the_subject_has_no_estimate_but_keeps_the_self_score():
    ratings = _small_org(0)
    ratings.append(Rating("s0", "s0", "self", "lonely", 4))
    result = fit_model(ratings, min_level=1, max_level=9)
    cell = result.get("s0", "lonely")
    assert cell.estimate is None and cell.n_raters == 0 and cell.self_score == 4


def test_the_mean_method_gives_the_plain_mean_with_a_normal_interval():
    ratings = [
        Rating("a", "x", "peer", "c", 2),
        Rating("a", "y", "peer", "c", 4),
        Rating("b", "x", "peer", "c", 3),
        Rating("b", "y", "peer", "c", 5),
        Rating("a", "a", "self", "c", 5),
    ]
    result = score(ratings, "mean", min_level=1, max_level=5)
    a = result.get("a", "c")
    assert a.estimate == 3.0 and a.self_score == 5 and a.n_raters == 2
    # Pooled within-person sd is sqrt(2), so the 80 % half-width is 1.2816 * sqrt(2) / sqrt(2).
    assert a.high - a.estimate == pytest.approx(1.2816, abs=1e-3)


def test_it_refuses_an_unknown_method():
    with pytest.raises(ValueError, match="unknown method"):
        score([Rating("a", "x", "peer", "c", 2)], "median", min_level=1, max_level=5)  # type: ignore[arg-type]


def _small_org(seed: int, shift_rater: str | None = None, shift: int = 0) -> list[Rating]:
    """Ten subjects, six raters who each rate most of them on three capabilities."""
    rng = np.random.default_rng(seed)
    level = rng.normal(5, 1, (10, 3))
    leniency = rng.normal(0, 0.7, 6)
    ratings = []
    for s in range(10):
        for r in range(6):
            if (s + r) % 5 == 0:
                continue
            for c in range(3):
                value = int(np.clip(np.rint(level[s, c] + leniency[r] + rng.normal(0, 0.5)), 2, 8))
                if f"r{r}" == shift_rater:
                    value += shift
                ratings.append(Rating(f"s{s}", f"r{r}", "peer", f"c{c}", value))
    return ratings


@settings(max_examples=12, deadline=None, derandomize=True)
@given(
    seed=st.integers(0, 10_000),
    rater=st.integers(0, 5),
    shift=st.sampled_from([-1, 1]),
)
def test_adding_a_constant_to_one_raters_scores_moves_mainly_that_raters_severity(
    seed, rater, shift
):
    base = fit_model(_small_org(seed), min_level=1, max_level=9)
    moved = fit_model(_small_org(seed, f"r{rater}", shift), min_level=1, max_level=9)
    severity_change = {r.rater: moved.rater(r.rater).severity - r.severity for r in base.raters}
    # Severity is positive for a harsh rater, so raising the scores lowers it. Partial pooling
    # re-estimates the spread of severities too, so the move is most of `shift`, not all of it.
    moved_by = -shift * severity_change[f"r{rater}"]
    assert 0.5 <= moved_by <= 1.35
    others = [abs(v) for k, v in severity_change.items() if k != f"r{rater}"]
    assert max(others) < 0.3
    estimate_change = [
        abs(m.estimate - b.estimate) for b, m in zip(base.subjects, moved.subjects, strict=True)
    ]
    assert max(estimate_change) < 0.35


def _one_severe_stakeholder(seed: int = 3) -> tuple[list[Rating], dict[tuple[str, str], float]]:
    """80 people; the only stakeholder rates every one of them, 1.5 levels severe."""
    org = simulate_organisation(80, stakeholders=0, seed=seed)
    rng = np.random.default_rng(seed + 100)
    board = [
        Rating(
            s, "board", "stakeholder", c, int(np.clip(np.rint(t - 1.5 + rng.normal(0, 0.5)), 1, 5))
        )
        for (s, c), t in sorted(org.true_level.items())
    ]
    return [*org.ratings, *board], org.true_level


def test_a_relationship_made_of_one_rater_is_named_and_its_severity_goes_to_the_rater():
    ratings, truth = _one_severe_stakeholder()
    result = fit_model(ratings, min_level=1, max_level=5)
    (note,) = result.diagnostics.notes
    assert "all stakeholder ratings come from one rater ('board')" in note
    stakeholder = next(r for r in result.relationships if r.relationship == "stakeholder")
    assert not stakeholder.identified and stakeholder.effect == 0.0
    assert result.rater("board").severity > 1.2
    errors = np.array([s.estimate - truth[(s.subject, s.capability)] for s in result.subjects])
    assert abs(errors.mean()) < 0.08, "the estimates are not shifted by the rater's severity"
    held = np.mean([s.low <= truth[(s.subject, s.capability)] <= s.high for s in result.subjects])
    assert held >= 0.7


def test_the_sampled_solver_for_large_organisations_agrees_with_the_exact_one(org, model):
    sampled = fit_model(org.ratings, min_level=1, max_level=5, dense_limit=0)
    exact = {(s.subject, s.capability): s for s in model.subjects}
    estimate_gap = max(
        abs(s.estimate - exact[(s.subject, s.capability)].estimate)
        for s in sampled.subjects
        if s.estimate is not None
    )
    # The variance components come from sampled traces, so they differ a little; the
    # estimates by a few thousandths of a level at most.
    assert estimate_gap < 5e-3
    sd_ratio = np.array(
        [s.sd / exact[(s.subject, s.capability)].sd for s in sampled.subjects if s.sd is not None]
    )
    assert 0.97 < sd_ratio.mean() < 1.03 and sd_ratio.min() > 0.85 and sd_ratio.max() < 1.15
    severity_gap = max(abs(r.severity - model.rater(r.rater).severity) for r in sampled.raters)
    assert severity_gap < 5e-3


@pytest.fixture(scope="module")
def polarised():
    """Raters a whole level apart in leniency: many scores end at 1 or 5."""
    org = simulate_organisation(400, leniency_sd=1.0, seed=5)
    return org, fit_model(org.ratings, min_level=1, max_level=5)


def test_its_80_percent_intervals_hold_the_truth_at_the_ends_of_the_scale_too(polarised):
    org, result = polarised
    truth = np.array([org.true_level[(s.subject, s.capability)] for s in result.subjects])
    low = np.array([s.low for s in result.subjects])
    high = np.array([s.high for s in result.subjects])
    held = (low <= truth) & (truth <= high)
    ends = (truth >= 4) | (truth <= 2)
    assert ends.sum() > 300
    assert 0.72 < held[ends].mean() < 0.88
    assert 0.72 < held[~ends].mean() < 0.88


def test_the_estimate_lies_within_its_interval(polarised):
    _org, result = polarised
    assert all(s.low <= s.estimate <= s.high for s in result.subjects)


def test_a_four_times_larger_organisation_needs_not_many_more_em_steps(polarised):
    """The censored scores set the number of EM steps, and a larger organisation has more of
    them: plain EM went from 11 steps at 400 people to 21 at 1,600 (and 9 to 13 from 2,000
    to 20,000 people with milder raters)."""
    _org, small = polarised
    org = simulate_organisation(1600, leniency_sd=1.0, seed=5)
    large = fit_model(org.ratings, min_level=1, max_level=5)
    assert large.diagnostics.converged
    assert large.diagnostics.iterations <= 1.5 * small.diagnostics.iterations
