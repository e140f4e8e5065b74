"""The demo's checklists: ticks that give the levels the demo draws, and Sam's decision
records, so that some of Sam's behaviours are evidenced and one is contradicted."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable
from dataclasses import replace

from leadshift.assessments.readiness import Answers
from leadshift.behaviours.checklist import level_from_ticks, needed
from leadshift.decisions.services import DecisionIn, do_create_decision, do_record_outcome
from leadshift.frameworks.schema import Framework
from leadshift.people.models import Person

# Sam ticks, beyond their level, that they record decisions with review dates (evidenced by
# Sam's decision records) and review each by its date (contradicted: one is overdue).
SAM_EXTRA_TICKS = ("decision_making_risk.3.1", "decision_making_risk.3.2")


def with_ticks(fw: Framework, answers: Answers, seed: str, extra: Iterable[str] = ()) -> Answers:
    """The answers with checklists that give each capability the level already drawn: at
    least the needed share of every level up to it, now and then one behaviour above."""
    rng = random.Random(seed)
    ticks: dict[str, frozenset[str]] = {}
    for cap in fw.capabilities:
        level = answers.capability_levels.get(cap.id)
        if level is None:
            continue
        chosen = {k for k in extra if k.startswith(f"{cap.id}.")}
        for lv in cap.levels:
            keys = cap.behaviour_keys(lv.level)
            if lv.level <= level:
                chosen.update(rng.sample(keys, rng.randint(needed(len(keys)), len(keys))))
            elif lv.level == level + 1 and rng.random() < 0.5 and not chosen & set(keys):
                chosen.add(rng.choice(keys))
        if level_from_ticks(cap, chosen).level == level:
            ticks[cap.id] = frozenset(chosen)
    return replace(answers, behaviours=ticks)


def load_behaviour_evidence(sam: Person, today: dt.date) -> None:
    """Sam's decision log: two decisions with review dates, one reviewed, one overdue."""
    reviewed = do_create_decision(
        sam,
        DecisionIn(
            question="Move the reporting add-on to usage-based pricing?",
            kind="pricing",
            rationale="Usage pricing fits how the largest accounts grow.",
            decided_on=today - dt.timedelta(days=120),
            forecast=0.6,
            review_on=today - dt.timedelta(days=30),
        ),
    )
    do_record_outcome(
        reviewed,
        sam,
        outcome="partly",
        lesson="Large accounts moved; small ones churned more than forecast.",
        on=today - dt.timedelta(days=28),
    )
    do_create_decision(
        sam,
        DecisionIn(
            question="Retire the CSV importer in favour of the sync API?",
            kind="technology",
            rationale="Two importers cost a team a sprint a quarter.",
            decided_on=today - dt.timedelta(days=75),
            review_on=today - dt.timedelta(days=14),
        ),
    )
