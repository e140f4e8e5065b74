"""Inter-rater agreement per capability from the scoring model's variance components."""

from __future__ import annotations

import pytest

from leadshift.assessments.scoring import score
from leadshift.assessments.synthetic import DEFAULT_CAPABILITIES, simulate_organisation
from leadshift.behaviours.agreement import agreement_by_capability

CAPS = [("vision", "Vision"), ("risk", "Risk")]


def test_the_icc_is_the_person_share_of_one_ratings_variance() -> None:
    found = agreement_by_capability(
        {"subject": 0.2, "subject:vision": 0.6, "subject:risk": 0.0, "rater": 0.1, "residual": 0.1},
        CAPS,
    )
    assert [a.capability for a in found] == ["risk", "vision"]
    assert found[0].icc == pytest.approx(0.2 / 0.4)
    assert found[1].icc == pytest.approx(0.8 / 1.0)
    assert found[1].reading == "good" and found[0].reading == "moderate"


def test_a_capability_the_model_did_not_fit_is_left_out() -> None:
    assert agreement_by_capability({"subject": 1.0, "rater": 1.0, "residual": 1.0}, CAPS) == []


def test_a_fitted_model_gives_one_figure_per_capability_least_agreement_first() -> None:
    org = simulate_organisation(60, seed=3)
    fit = score(org.ratings, "model", min_level=org.min_level, max_level=org.max_level)
    found = agreement_by_capability(
        fit.diagnostics.variance_components, [(c, c) for c in DEFAULT_CAPABILITIES]
    )
    assert {a.capability for a in found} == set(DEFAULT_CAPABILITIES)
    assert all(0 < a.icc < 1 for a in found)
    assert [a.icc for a in found] == sorted(a.icc for a in found)
