"""360 ratings as arrays: names mapped to indices in name order, checked, and split into the
self-ratings and the scores given by others.

Scoring an organisation of thousands reads hundreds of thousands of ratings; a dictionary
lookup per rating and name cost more than the model fit itself, so every name is mapped once
(``np.unique``) and everything after works on integer arrays.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from operator import attrgetter
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

if TYPE_CHECKING:
    from leadshift.assessments.scoring import Rating

IntArray = NDArray[np.intp]
FloatArray = NDArray[np.float64]

_FIELDS = ("subject", "rater", "relationship", "capability", "score")


@dataclass(frozen=True)
class RatingTable:
    """Every (subject, capability) named in the ratings, and the other raters' scores."""

    subjects: list[str]
    capabilities: list[str]
    raters: list[str]
    relationships: tuple[str, ...]
    cell_subject: IntArray
    """Cells, ordered by (subject, capability): each one's subject and capability."""
    cell_capability: IntArray
    self_score: IntArray
    """Per cell, the self-rating (-1: none)."""
    n_self: int
    cell: IntArray
    """Per score given by someone other than the subject, ordered by cell then rater."""
    rater: IntArray
    relationship: IntArray
    score: FloatArray

    def cell_names(self) -> tuple[list[str], list[str]]:
        """Each cell's subject and capability, by name, indexed as arrays of names (a pair per
        cell built in Python took 25 ms of writing 140,000 cells' results)."""
        subjects = np.array(self.subjects, dtype=object)
        capabilities = np.array(self.capabilities, dtype=object)
        return (
            subjects[self.cell_subject].tolist(),
            capabilities[self.cell_capability].tolist(),
        )

    def plain_means(self) -> tuple[FloatArray, IntArray, float]:
        """Per-cell mean (NaN where no one else rated) and count of the other raters' scores,
        and the pooled within-cell sd."""
        n_cells = len(self.cell_subject)
        counts = np.bincount(self.cell, minlength=n_cells)
        sums = np.bincount(self.cell, weights=self.score, minlength=n_cells)
        sq = np.bincount(self.cell, weights=self.score**2, minlength=n_cells)
        with np.errstate(invalid="ignore", divide="ignore"):
            means = sums / counts
        rated = counts > 0
        within = float(np.sum(sq[rated] - counts[rated] * means[rated] ** 2))
        dof = int(np.sum(counts[rated] - 1))
        if dof > 0:
            pooled = float(np.sqrt(max(within, 0.0) / dof))
        else:
            pooled = float(self.score.std()) if self.score.size > 1 else 0.0
        return means, counts, pooled


def _codes(values: list[str]) -> tuple[list[str], IntArray]:
    """The distinct names in order, and each value's position among them. Hashing first
    keeps the sort to the few thousand distinct names."""
    names = sorted(dict.fromkeys(values))
    code = {name: i for i, name in enumerate(names)}
    return names, np.fromiter(map(code.__getitem__, values), dtype=np.intp, count=len(values))


def rating_table(
    ratings: Iterable[Rating], min_level: int, max_level: int, relationships: tuple[str, ...]
) -> RatingTable:
    """Check the ratings and map them to arrays; the first bad rating raises ValueError."""
    rows = ratings if isinstance(ratings, list | tuple) else list(ratings)
    if not rows:
        empty = np.zeros(0, dtype=np.intp)
        return RatingTable(
            [], [], [], relationships, empty, empty, empty, 0, empty, empty, empty, np.zeros(0)
        )
    subject, rater, relationship, capability, score = (
        list(map(attrgetter(name), rows)) for name in _FIELDS
    )
    y = np.array(score, dtype=float)  # None ("can't say") becomes NaN
    subjects, subj = _codes(subject)
    rater_names, rat = _codes(rater)
    rel_names, rel_code = _codes(relationship)
    capabilities, cap = _codes(capability)

    known = np.array([name in relationships for name in rel_names], dtype=bool)
    rel_index = np.array(
        [relationships.index(name) if name in relationships else -1 for name in rel_names],
        dtype=np.intp,
    )
    rel = rel_index[rel_code]
    is_self = rel == relationships.index("self")
    # Rater and subject the same person, through the few distinct names: comparing the
    # names rating by rating cost a tenth of reading the ratings.
    subject_code = {name: i for i, name in enumerate(subjects)}
    rater_as_subject = np.array([subject_code.get(name, -1) for name in rater_names], dtype=np.intp)
    same = rater_as_subject[rat] == subj
    given = ~np.isnan(y)
    unknown = ~known[rel_code]
    outside = given & ((y < min_level) | (y > max_level))
    mismatched = is_self != same
    bad = np.flatnonzero(unknown | outside | mismatched)
    if bad.size:
        i = int(bad[0])
        s, r, k, v = subject[i], rater[i], relationship[i], score[i]
        if unknown[i]:
            raise ValueError(f"unknown relationship {k!r}")
        if outside[i]:
            raise ValueError(f"score {v} is outside {min_level}..{max_level}")
        raise ValueError(
            f"{r!r} rating {s!r} as {k!r}: self-ratings, and only they, have the subject as rater"
        )

    n_cap = len(capabilities)
    cell_keys, cell = np.unique(subj * n_cap + cap, return_inverse=True)
    cell = cell.astype(np.intp).ravel()
    self_score = np.full(len(cell_keys), -1, dtype=np.intp)
    own = is_self & given
    self_score[cell[own]] = y[own].astype(np.intp)
    others = np.flatnonzero(~is_self & given)
    order = others[np.lexsort((rat[others], cell[others]))]
    return RatingTable(
        subjects=subjects,
        capabilities=capabilities,
        raters=rater_names,
        relationships=relationships,
        cell_subject=(cell_keys // n_cap).astype(np.intp),
        cell_capability=(cell_keys % n_cap).astype(np.intp),
        self_score=self_score,
        n_self=int(own.sum()),
        cell=cell[order],
        rater=rat[order],
        relationship=rel[order],
        score=y[order],
    )
