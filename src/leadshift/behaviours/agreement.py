"""Inter-rater agreement per capability from the 360 scoring model's variance components.

The model splits a rating into the person's general level (variance ``subject``), their
level on the capability (``subject:<capability>``), the rater's severity (``rater``) and the
rest (``residual``). The intraclass correlation of one rating,

    ICC(c) = (subject + subject:c) / (subject + subject:c + rater + residual),

is the share of a single rating's variance that is about the person: near 1 raters agree on
who is at which level, near 0 a rating says more about the rater than about the person.
Plain Python, no Django.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Agreement:
    capability: str
    name: str
    icc: float
    person_variance: float
    rater_variance: float
    residual_variance: float

    @property
    def reading(self) -> str:
        # Bands as commonly read for single-rating ICCs (Koo and Li, 2016).
        if self.icc < 0.5:
            return "poor"
        if self.icc < 0.75:
            return "moderate"
        if self.icc < 0.9:
            return "good"
        return "excellent"


def agreement_by_capability(
    components: Mapping[str, float], capabilities: Sequence[tuple[str, str]]
) -> list[Agreement]:
    """One figure per capability (id, name) the components cover, least agreement first."""
    general = float(components.get("subject", 0.0))
    rater = float(components.get("rater", 0.0))
    residual = float(components.get("residual", 0.0))
    out = []
    for cid, name in capabilities:
        key = f"subject:{cid}"
        if key not in components:
            continue
        person = general + float(components[key])
        total = person + rater + residual
        if total <= 0:
            continue
        out.append(Agreement(cid, name, person / total, person, rater, residual))
    return sorted(out, key=lambda a: (a.icc, a.capability))
