"""Each ticked behaviour beside the records LeadShift holds for it: claimed, evidenced or
contradicted, with links to the records."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from leadshift.assessments.models import Assessment
from leadshift.behaviours.checklist import ChecklistLevel, level_from_ticks
from leadshift.behaviours.evidence import Finding, Period, Record, find

# Evidence counts from this long before the assessment: the checklist asks what the rater has
# seen in the last twelve months.
LOOKBACK_DAYS = 365

CLAIMED = "claimed"
EVIDENCED = "evidenced"
CONTRADICTED = "contradicted"
NOT_TICKED = "not ticked"


@dataclass(frozen=True)
class BehaviourRow:
    key: str
    level: int
    text: str
    ticked: bool
    status: str
    records: list[Record] = field(default_factory=list)
    why: str = ""


@dataclass(frozen=True)
class CapabilityBehaviours:
    id: str
    name: str
    result: ChecklistLevel
    rows: list[BehaviourRow]

    @property
    def counts(self) -> dict[str, int]:
        out = {CLAIMED: 0, EVIDENCED: 0, CONTRADICTED: 0}
        for r in self.rows:
            if r.status in out:
                out[r.status] += 1
        return out


def status_of(ticked: bool, finding: Finding | None) -> tuple[str, list[Record], str]:
    if not ticked:
        return NOT_TICKED, finding.records if finding else [], ""
    if finding is None:
        return CLAIMED, [], ""
    if finding.against:
        return CONTRADICTED, finding.against, finding.why_against
    if finding.records:
        return EVIDENCED, finding.records, ""
    return CLAIMED, [], "no records found"


def period_for(assessment: Assessment, today: dt.date) -> Period:
    taken = (assessment.completed_at or assessment.started_at).date()
    return Period(since=taken - dt.timedelta(days=LOOKBACK_DAYS), until=today)


def behaviour_profile(assessment: Assessment, today: dt.date) -> list[CapabilityBehaviours]:
    """Per capability with ticks, its checklist level and each behaviour's status. A capability
    whose level was picked without the checklist (older assessments) is left out."""
    fw = assessment.framework.data
    ticked = assessment.ticked()
    period = period_for(assessment, today)
    cache: dict[str, Finding | None] = {}
    out = []
    for cap in fw.capabilities:
        if cap.id not in ticked:
            continue
        rows = []
        for key, lv, b in cap.behaviours():
            finding = None
            if b.evidence:
                if b.evidence not in cache:
                    cache[b.evidence] = find(b.evidence, assessment.person, period)
                finding = cache[b.evidence]
            status, records, why = status_of(key in ticked[cap.id], finding)
            rows.append(
                BehaviourRow(key, lv.level, b.text, key in ticked[cap.id], status, records, why)
            )
        out.append(
            CapabilityBehaviours(cap.id, cap.name, level_from_ticks(cap, ticked[cap.id]), rows)
        )
    return out
