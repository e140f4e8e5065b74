"""Synthetic organisations with known true levels and known rater leniency.

Used by the tests and the benchmark to check the scoring model against the truth, and usable
as demo data. The organisation has teams with a lead; leads are managed by other leads; each
person is rated by their manager, several teammates (peers), their reports if they lead a
team, and one or two stakeholders, some of whom are outside the organisation and rate only
once. Every rater has a leniency (positive: rates high), each relationship a small effect,
and self-ratings run high.

The truth is defined on the scale of the average rater: leniencies and relationship effects
are centred over the ratings actually given, because no model can tell a uniformly lenient
organisation from a uniformly able one.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from leadshift.assessments.scoring import Rating

DEFAULT_CAPABILITIES = (
    "strategic_thinking",
    "vision",
    "influence",
    "people_leadership",
    "business_acumen",
    "decision_making",
    "org_design",
)
RELATIONSHIP_EFFECTS = {"manager": -0.15, "peer": 0.0, "report": 0.25, "stakeholder": -0.1}


@dataclass(frozen=True)
class SyntheticOrganisation:
    ratings: list[Rating]
    true_level: dict[tuple[str, str], float]
    """(subject, capability) -> true level on the score scale."""
    true_leniency: dict[str, float]
    """rater -> how many levels above the average rater they score (minus severity)."""
    min_level: int
    max_level: int


def simulate_organisation(
    n_people: int,
    *,
    capabilities: tuple[str, ...] = DEFAULT_CAPABILITIES,
    team_size: int = 6,
    peers: int = 4,
    stakeholders: int = 2,
    external_share: float = 0.3,
    leniency_sd: float = 0.6,
    noise_sd: float = 0.5,
    self_inflation: float = 0.6,
    cant_say: float = 0.05,
    levels: tuple[int, int] = (1, 5),
    seed: int = 0,
) -> SyntheticOrganisation:
    rng = np.random.default_rng(seed)
    lo, hi = levels
    mid = (lo + hi) / 2
    people = [f"p{i:05d}" for i in range(n_people)]
    n_teams = max(1, -(-n_people // team_size))
    team = np.arange(n_people) // team_size
    lead_of_team = np.arange(n_teams) * team_size
    lead_of_team = np.minimum(lead_of_team, n_people - 1)

    # Who manages whom: members report to their team lead, leads to a lead of an earlier team.
    manager = np.full(n_people, -1)
    for i in range(n_people):
        t = team[i]
        if i != lead_of_team[t]:
            manager[i] = lead_of_team[t]
        elif t > 0:
            manager[i] = lead_of_team[rng.integers(0, t)]

    raters_of: list[list[tuple[str, str]]] = []
    n_external = 0
    for i in range(n_people):
        chosen: list[tuple[str, str]] = []
        if manager[i] >= 0:
            chosen.append((people[manager[i]], "manager"))
        mates = [j for j in np.flatnonzero(team == team[i]) if j != i and j != manager[i]]
        reports = [j for j in np.flatnonzero(manager == i)]
        peer_pool = [j for j in mates if j not in reports]
        for j in rng.permutation(peer_pool)[:peers]:
            chosen.append((people[j], "peer"))
        for j in rng.permutation(reports)[:3]:
            chosen.append((people[j], "report"))
        taken = {name for name, _ in chosen} | {people[i]}
        for _ in range(stakeholders):
            if rng.random() < external_share:
                chosen.append((f"x{n_external:05d}", "stakeholder"))
                n_external += 1
            else:
                j = int(rng.integers(0, n_people))
                if people[j] not in taken:
                    taken.add(people[j])
                    chosen.append((people[j], "stakeholder"))
        raters_of.append(chosen)

    general = rng.normal(mid, 0.5 * (hi - lo) / 4, n_people)
    truth = np.clip(
        general[:, None] + rng.normal(0, 0.4 * (hi - lo) / 4, (n_people, len(capabilities))),
        lo + 0.2,
        hi - 0.2,
    )
    rater_names = sorted({name for chosen in raters_of for name, _ in chosen})
    leniency_raw = dict(zip(rater_names, rng.normal(0, leniency_sd, len(rater_names)), strict=True))

    rows: list[tuple[int, str, str, int, float]] = []
    for i, chosen in enumerate(raters_of):
        for name, rel in chosen:
            for c in range(len(capabilities)):
                rows.append((i, name, rel, c, float(rng.normal(0, noise_sd))))
    # Centre leniency and relationship effects over the ratings actually given (see above).
    weights: dict[str, int] = {}
    rel_count: dict[str, int] = {}
    for _, name, rel, _, _ in rows:
        weights[name] = weights.get(name, 0) + 1
        rel_count[rel] = rel_count.get(rel, 0) + 1
    total = sum(weights.values())
    lenient_mean = sum(leniency_raw[r] * k for r, k in weights.items()) / total
    leniency = {r: v - lenient_mean for r, v in leniency_raw.items()}
    rel_mean = sum(RELATIONSHIP_EFFECTS[r] * k for r, k in rel_count.items()) / total
    rel_effect = {r: v - rel_mean for r, v in RELATIONSHIP_EFFECTS.items()}

    ratings: list[Rating] = []
    for i, name, rel, c, noise in rows:
        if rng.random() < cant_say:
            score = None
        else:
            latent = truth[i, c] + leniency[name] + rel_effect[rel] + noise
            score = int(np.clip(np.rint(latent), lo, hi))
        ratings.append(Rating(people[i], name, rel, capabilities[c], score))
    # People differ in how much they over-rate themselves; some under-rate.
    inflation = rng.normal(self_inflation, 0.4, n_people)
    for i in range(n_people):
        for c in range(len(capabilities)):
            latent = truth[i, c] + inflation[i] + rng.normal(0, noise_sd)
            score = int(np.clip(np.rint(latent), lo, hi))
            ratings.append(Rating(people[i], people[i], "self", capabilities[c], score))

    true_level = {
        (people[i], capabilities[c]): float(truth[i, c])
        for i in range(n_people)
        for c in range(len(capabilities))
    }
    return SyntheticOrganisation(
        ratings=ratings,
        true_level=true_level,
        true_leniency=leniency,
        min_level=lo,
        max_level=hi,
    )
