"""The readiness the leader's pages count is kept, not worked out per request: each complete
assessment keeps its readiness and verdict, and each person a standing (their verdict from
the latest 360 or self-assessment). What the pages show stays what working it out gives, when
an assessment is completed, 360 results are released, a target role changes, an assessment
goes, or rows were written around the services."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse

from leadshift.assessments.models import Assessment, Standing
from leadshift.assessments.readiness import Verdict
from leadshift.assessments.services import do_submit_assessment
from leadshift.feedback.models import Result
from leadshift.feedback.team import SHORT_LABELS, VERDICT_LABELS, team_overview
from leadshift.frameworks.services import framework_for
from leadshift.people.models import Person
from tests.conftest import full_answers
from tests.scale import orgs

pytestmark = pytest.mark.django_db

SHOWN = (Verdict.READY_NOW, Verdict.READY_SOON, Verdict.NOT_YET)


def dashboard_counts(client: Any, leader: Any) -> dict[str, int]:
    client.force_login(leader.user)
    html = client.get(reverse("home")).content.decode()
    found = re.search(r"data-readiness>(.*?)</ul>", html, re.S)
    assert found, "the dashboard shows no readiness"
    return {label: int(n) for n, label in re.findall(r"<strong>(\d+)</strong> ([^<]+)<", found[1])}


def worked_out(leader: Any) -> dict[str, int]:
    """The counts as working out every profile gives them (the team heatmap's rule)."""
    groups = team_overview(leader).by_verdict()
    counts = {SHORT_LABELS[v]: len(groups[VERDICT_LABELS[v]]) for v in SHOWN}
    unassessed = len(groups[VERDICT_LABELS[Verdict.INCOMPLETE]])
    if unassessed:
        counts["no data yet"] = unassessed
    return counts


def submit(person: Any, role: str, level: int) -> Assessment:
    fw = framework_for(person.organisation).data
    return do_submit_assessment(person, person, role, full_answers(fw, level=level, choice=3))


def test_a_completed_assessment_keeps_the_readiness_and_verdict_of_its_profile(team):
    pm = team["pm"]
    a = submit(pm, "group_pm", 2)
    a.refresh_from_db()
    profile = a.profile()
    assert (a.readiness, a.verdict) == (profile.readiness, profile.verdict.value)


def test_completing_a_new_assessment_changes_the_kept_standing(client, team):
    pm, head = team["pm"], team["head"]
    first = submit(pm, "group_pm", 1)
    before = Standing.objects.get(person=pm)
    assert before.from_assessment == first.id
    second = submit(pm, "group_pm", 4)
    after = Standing.objects.get(person=pm)
    assert after.from_assessment == second.id
    assert before.verdict != after.verdict
    assert dashboard_counts(client, head) == worked_out(head)


def test_released_360_results_change_the_standing_the_dashboard_counts(client, team):
    org, head = team["org"], team["head"]
    (pm,) = orgs.people(org, head, 1, with_360=True)
    result = Result.objects.get(cycle__subject=pm)
    standing = Standing.objects.get(person=pm)
    assert standing.from_result == result.id
    row = next(r for r in team_overview(head).rows if r.person.id == pm.id)
    assert row.source == "360"
    assert standing.verdict == row.verdict.value
    assert dashboard_counts(client, head) == worked_out(head)


def test_a_target_role_changed_around_the_services_is_read_again(client, team):
    pm, head = team["pm"], team["head"]
    submit(pm, "senior_pm", 3)
    before = dashboard_counts(client, head)
    Person.objects.filter(pk=pm.pk).update(target_role="cpo")
    after = dashboard_counts(client, head)
    assert after == worked_out(head)
    assert after != before
    assert Standing.objects.get(person=pm).from_role == "cpo"


def test_a_deleted_assessment_no_longer_counts(client, team):
    pm, head = team["pm"], team["head"]
    submit(pm, "group_pm", 4)
    assert dashboard_counts(client, head)["no data yet"] == 2
    Assessment.objects.filter(person=pm).delete()
    nobody = {SHORT_LABELS[v]: 0 for v in SHOWN}
    assert dashboard_counts(client, head) == worked_out(head) == nobody | {"no data yet": 3}


def test_my_team_reads_an_assessment_written_around_the_services(client, team):
    pm, head = team["pm"], team["head"]
    kept = submit(pm, "group_pm", 3)
    profile = kept.profile()
    Assessment.objects.filter(pk=kept.pk).update(readiness=None, verdict="")
    Standing.objects.filter(person=pm).delete()
    client.force_login(head.user)
    html = client.get(reverse("team")).content.decode()
    assert f"{round(profile.readiness)}%" in html
    assert profile.verdict.label in html
    kept.refresh_from_db()
    assert (kept.readiness, kept.verdict) == (profile.readiness, profile.verdict.value)


def test_my_team_lists_each_persons_latest_assessment_closest_to_ready_first(client, team):
    head, pm, group, peer = team["head"], team["pm"], team["group"], team["peer"]
    submit(pm, "senior_pm", 1)
    latest = {pm.name: submit(pm, "senior_pm", 4), group.name: submit(group, "vp_product", 1)}
    profiles = {name: a.profile() for name, a in latest.items()}
    rank = {Verdict.READY_NOW: 0, Verdict.READY_SOON: 1, Verdict.NOT_YET: 2}
    expected = [
        f"{name},{round(p.readiness)},{p.verdict.label}"
        for name, p in sorted(
            profiles.items(), key=lambda kv: (rank.get(kv[1].verdict, 3), -kv[1].readiness, kv[0])
        )
    ] + [f"{peer.name},,Not assessed"]
    client.force_login(head.user)
    body = b"".join(client.get(reverse("team") + "?format=csv").streaming_content).decode()
    rows = [line.split(",") for line in body.splitlines()[1:]]
    assert [f"{r[0]},{r[4]},{r[5]}" for r in rows] == expected
