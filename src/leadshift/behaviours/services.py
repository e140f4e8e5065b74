from __future__ import annotations

from django.db.models import Count, Max

from leadshift.assessments.scoring import score
from leadshift.behaviours.agreement import Agreement, agreement_by_capability
from leadshift.feedback.models import Result
from leadshift.feedback.services import released_ratings
from leadshift.frameworks.schema import Framework
from leadshift.people.models import Organisation

# Fitting the model takes a moment; released results never change, so the figures hold until
# another cycle is released.
_cache: dict[tuple[int, int, object], list[Agreement]] = {}


def organisation_agreement(organisation: Organisation, fw: Framework) -> list[Agreement]:
    """Inter-rater agreement per capability over the organisation's released 360 feedback,
    least agreement first; empty when there is too little to fit the model."""
    stamp = Result.objects.filter(cycle__subject__organisation=organisation).aggregate(
        n=Count("id"), last=Max("released_at")
    )
    key = (organisation.pk, stamp["n"], stamp["last"])
    if key not in _cache:
        ratings = released_ratings(organisation)
        found: list[Agreement] = []
        if ratings:
            lo = min(c.min_level for c in fw.capabilities)
            hi = max(c.max_level for c in fw.capabilities)
            try:
                fit = score(ratings, "model", min_level=lo, max_level=hi)
            except ValueError:
                fit = None
            if fit is not None:
                found = agreement_by_capability(
                    fit.diagnostics.variance_components,
                    [(c.id, c.name) for c in fw.capabilities],
                )
        _cache[key] = found
    return _cache[key]
