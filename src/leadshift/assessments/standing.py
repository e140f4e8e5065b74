"""Each person's readiness as the leader's pages count it, kept per person (`Standing`) and
per complete assessment (`Assessment.readiness`, `.verdict`), so a page of a 2,000-person
organisation counts and sorts in SQL instead of working out 2,000 profiles per request.

One rule makes the team verdict (`team_levels`, `team_verdict`): the latest released 360's
estimates where there are some, the latest self-assessment's levels for the rest, for the
person's target role in the organisation's framework. `team_overview` (feedback/team.py)
draws the heatmap with the same rule, so the counts and the heatmap agree.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.db import transaction
from django.db.models import (
    BooleanField,
    Case,
    Count,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, NullIf

from leadshift.assessments.models import Assessment, CapabilityRating, ShiftAnswer, Standing
from leadshift.assessments.readiness import Answers, Verdict, readiness_profile
from leadshift.feedback.models import Result
from leadshift.frameworks.models import FrameworkVersion
from leadshift.frameworks.schema import Framework
from leadshift.frameworks.services import framework_for
from leadshift.people.models import Organisation, Person


def role_for(fw: Framework, own_role: str, assessed_role: str) -> str:
    """The role a person is read against: their own target role, else the one their latest
    assessment chose, else the framework's first."""
    role_id = own_role or assessed_role
    return role_id if fw.has_role(role_id) else fw.roles[0].id


def team_levels(
    fw: Framework, result_capabilities: Sequence[Mapping[str, Any]] | None, own: Mapping[str, int]
) -> tuple[dict[str, dict[str, Any]], dict[str, int]]:
    """The heatmap's cells (estimate, low, high) and the levels the verdict reads: from the
    360 where it has an estimate, else from the self-assessment."""
    cells: dict[str, dict[str, Any]] = {}
    if result_capabilities is not None:
        for c in result_capabilities:
            if c["estimate"] is not None and fw.has_capability(c["id"]):
                cells[c["id"]] = {"estimate": c["estimate"], "low": c["low"], "high": c["high"]}
    else:
        for cid, level in own.items():
            if fw.has_capability(cid):
                cells[cid] = {"estimate": float(level), "low": None, "high": None}
    # A capability no rater could score: the self-rating stands in for the verdict.
    levels = {cid: lv for cid, lv in own.items() if fw.has_capability(cid) and cid not in cells}
    for cid, cell in cells.items():
        cap = fw.capability(cid)
        levels[cid] = min(max(round(cell["estimate"]), cap.min_level), cap.max_level)
    return cells, levels


def is_gap(cell: Mapping[str, Any], expected: int) -> bool:
    return bool(cell["estimate"] < expected - 0.5)


def team_verdict(
    fw: Framework, role_id: str, shift_choices: Mapping[tuple[str, str], int], levels: dict
) -> Verdict:
    answers = Answers(shift_choices=shift_choices, capability_levels=levels)
    return readiness_profile(fw, answers, role_id).verdict


def _latest_assessment() -> Subquery:
    return Subquery(
        Assessment.objects.filter(person_id=OuterRef("pk"), status=Assessment.Status.COMPLETE)
        .order_by("-completed_at", "-id")
        .values("id")[:1]
    )


def _latest_result() -> Subquery:
    return Subquery(
        Result.objects.filter(cycle__subject_id=OuterRef("pk"))
        .order_by("-released_at", "-id")
        .values("id")[:1]
    )


@transaction.atomic
def do_store_standings(organisation: Organisation, person_ids: Iterable[int]) -> int:
    """Work out and keep the team verdict of these people (of one organisation) from what
    they have now; answers how many were written. A fixed number of queries for any number."""
    fv = framework_for(organisation)
    fw = fv.data
    people = list(
        Person.objects.filter(pk__in=list(person_ids), organisation=organisation)
        .annotate(
            latest_a=Coalesce(_latest_assessment(), 0), latest_r=Coalesce(_latest_result(), 0)
        )
        .values_list("id", "target_role", "latest_a", "latest_r")
    )
    aids = [a for _, _, a, _ in people if a]
    latest = Assessment.objects.filter(id__in=aids)
    do_store_readiness(
        latest.filter(verdict="")
        .select_related("framework")
        .prefetch_related("shift_answers", "capability_ratings", "ticks")
    )
    kept = {
        aid: (role, framework_id, readiness, verdict)
        for aid, role, framework_id, readiness, verdict in latest.values_list(
            "id", "target_role", "framework_id", "readiness", "verdict"
        )
    }
    frameworks = frameworks_by_id(f for _, f, _, _ in kept.values())
    shifts = ShiftAnswer.choices_by_assessment(aids)
    own: dict[int, dict[str, int]] = {}
    for aid, cid, level in CapabilityRating.objects.filter(assessment_id__in=aids).values_list(
        "assessment_id", "capability", "level"
    ):
        own.setdefault(aid, {})[cid] = level
    results = dict(
        Result.objects.filter(id__in=[r for *_, r in people if r]).values_list(
            "id", "data__capabilities"
        )
    )
    rows = []
    for pid, own_role, aid, rid in people:
        cells, levels = team_levels(fw, results[rid] if rid else None, own.get(aid, {}))
        assessed_role, assessed_fw, readiness, verdict = kept.get(aid, ("", 0, None, ""))
        role_id = role_for(fw, own_role, assessed_role)
        expected = fw.role(role_id).expected
        own_fw = frameworks.get(assessed_fw)
        rows.append(
            Standing(
                person_id=pid,
                verdict=team_verdict(fw, role_id, shifts.get(aid, {}), levels).value,
                rated=sorted(cells),
                below=sorted(c for c, cell in cells.items() if is_gap(cell, expected[c])),
                self_readiness=readiness,
                self_verdict=verdict,
                self_role_name=(
                    own_fw.role(assessed_role).name
                    if own_fw and own_fw.has_role(assessed_role)
                    else ""
                ),
                from_framework=fv.id,
                from_role=own_role,
                from_assessment=aid,
                from_result=rid,
            )
        )
    Standing.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["person"],
        update_fields=[
            "verdict",
            "self_readiness",
            "self_verdict",
            "self_role_name",
            "rated",
            "below",
            "from_framework",
            "from_role",
            "from_assessment",
            "from_result",
        ],
    )
    return len(rows)


def refresh_standings(organisation: Organisation, people: QuerySet[Person]) -> None:
    """Work out again the standings of these people that no longer match what they were
    worked out from (or are missing): after a change that is a few people; one query when
    none, and a fixed number of queries for any number."""
    fv = framework_for(organisation)
    fresh = Q(
        standing__from_framework=fv.id,
        standing__from_role=F("target_role"),
        standing__from_assessment=F("latest_a"),
        standing__from_result=F("latest_r"),
    )
    stale = list(
        people.annotate(
            latest_a=Coalesce(_latest_assessment(), 0),
            latest_r=Coalesce(_latest_result(), 0),
            fresh=Case(
                When(fresh, then=Value(True)), default=Value(False), output_field=BooleanField()
            ),
        )
        .filter(fresh=False)
        .order_by()
        .values_list("id", flat=True)
    )
    if stale:
        do_store_standings(organisation, stale)


def verdict_counts(organisation: Organisation, people: QuerySet[Person]) -> dict[Verdict, int]:
    """How many of these people stand at each verdict, counted in SQL."""
    refresh_standings(organisation, people)
    counts = {v: 0 for v in Verdict}
    for verdict, n in people.order_by().values_list("standing__verdict").annotate(n=Count("pk")):
        counts[Verdict(verdict) if verdict else Verdict.INCOMPLETE] += n
    return counts


@transaction.atomic
def do_store_readiness(assessments: Iterable[Assessment]) -> None:
    """Keep each complete assessment's readiness and verdict, as its profile gives them."""
    done = [a for a in assessments if a.is_complete]
    for a in done:
        profile = a.profile()
        a.readiness, a.verdict = profile.readiness, profile.verdict.value
    Assessment.objects.bulk_update(done, ["readiness", "verdict"])


def frameworks_by_id(ids: Iterable[int]) -> dict[int, Framework]:
    return {pk: fv.data for pk, fv in FrameworkVersion.objects.in_bulk(set(ids)).items()}


def with_latest_readiness(organisation: Organisation, people: QuerySet[Person]) -> QuerySet[Person]:
    """These people, each with their latest complete assessment's readiness
    (`latest_readiness`, `latest_verdict`, None without one), the verdict's label
    (`verdict_label`, "Not assessed" without one), the role's name (`role_label`) and an order
    closest to ready first: read from their standings, so a list of thousands sorts, counts
    and pages in SQL."""
    refresh_standings(organisation, people)
    rank = {Verdict.READY_NOW: 0, Verdict.READY_SOON: 1, Verdict.NOT_YET: 2}
    return people.annotate(
        latest_readiness=F("standing__self_readiness"),
        latest_verdict=NullIf(F("standing__self_verdict"), Value("")),
        role_label=Coalesce(F("standing__self_role_name"), Value("")),
        verdict_label=Case(
            *(When(standing__self_verdict=v.value, then=Value(v.label)) for v in Verdict),
            default=Value("Not assessed"),
        ),
        verdict_rank=Case(
            *(When(standing__self_verdict=v.value, then=Value(n)) for v, n in rank.items()),
            When(standing__self_verdict__in=[v.value for v in Verdict], then=Value(3)),
            default=Value(4),
        ),
    ).order_by("verdict_rank", F("latest_readiness").desc(nulls_last=True), "name")


def gap_counts(
    organisation: Organisation, people: QuerySet[Person]
) -> tuple[dict[str, int], dict[str, int]]:
    """Per capability, how many of these people the heatmap has an estimate for, and how many
    of those are below their role's expectation."""
    refresh_standings(organisation, people)
    rated: dict[str, int] = {}
    below: dict[str, int] = {}
    for has, lacks in people.order_by().values_list("standing__rated", "standing__below"):
        for cid in has or ():
            rated[cid] = rated.get(cid, 0) + 1
        for cid in lacks or ():
            below[cid] = below.get(cid, 0) + 1
    return rated, below


def readiness_counts(people: QuerySet[Person]) -> tuple[dict[Verdict, int], int]:
    """How many of `with_latest_readiness(people)` stand at each verdict, and how many have
    no complete assessment, in one GROUP BY."""
    counts = {v: 0 for v in Verdict}
    unassessed = 0
    for verdict, n in (
        people.order_by().values_list("standing__self_verdict").annotate(n=Count("pk"))
    ):
        if verdict:
            counts[Verdict(verdict)] += n
        else:
            unassessed += n
    return counts, unassessed
