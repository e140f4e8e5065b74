from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from leadshift.growth.models import Plan


@pytest.fixture
def plan(client, team, completed_assessment):
    client.force_login(team["pm"].user)
    r = client.post(reverse("plan_generate", args=[completed_assessment.id]))
    assert r.status_code == 302
    return Plan.objects.get()


@pytest.mark.django_db
def test_a_generated_plan_has_goals_actions_and_due_dates(client, plan):
    assert plan.goals.count() == 3
    assert len(plan.all_actions()) == 9
    assert (plan.ends_on - plan.starts_on).days == 90
    body = client.get(reverse("plan_detail", args=[plan.id])).content.decode()
    assert "Evidence:" in body and "<svg" in body


@pytest.mark.django_db
def test_marking_an_action_done_moves_progress(client, plan):
    action = plan.all_actions()[0]
    client.post(reverse("action_done", args=[plan.id, action.id]), {"done": "1"})
    assert plan.progress(timezone.localdate()).done == 1
    client.post(reverse("action_done", args=[plan.id, action.id]), {"done": "0"})
    assert plan.progress(timezone.localdate()).done == 0


@pytest.mark.django_db
def test_actions_can_be_reordered_edited_added_and_dropped(client, plan):
    goal = plan.goals.first()
    first, second = list(goal.actions.all())[:2]
    client.post(reverse("action_move", args=[plan.id, second.id]), {"direction": "up"})
    assert next(iter(goal.actions.all())) == second

    due = (plan.starts_on + dt.timedelta(days=20)).isoformat()
    client.post(
        reverse("action_edit", args=[plan.id, first.id]),
        {"title": "Write the strategy memo", "description": "", "evidence": "memo", "due_on": due},
    )
    first.refresh_from_db()
    assert first.title == "Write the strategy memo"

    client.post(
        reverse("action_add", args=[plan.id, goal.id]), {"title": "Shadow the CPO", "due_on": due}
    )
    assert goal.actions.filter(title="Shadow the CPO").exists()

    client.post(reverse("action_drop", args=[plan.id, first.id]))
    assert not goal.actions.filter(pk=first.pk).exists()


@pytest.mark.django_db
def test_a_bad_due_date_keeps_the_typed_values_and_saves_nothing(client, plan):
    goal = plan.goals.first()
    before = goal.actions.count()
    r = client.post(
        reverse("action_add", args=[plan.id, goal.id]),
        {"title": "Keep this title", "due_on": "not a date", "goal": str(goal.id), "form": "add"},
    )
    assert r.status_code == 400
    body = r.content.decode()
    assert "Keep this title" in body and "enter a date" in body
    assert goal.actions.count() == before


@pytest.mark.django_db
def test_a_checkin_records_confidence_and_progress_at_that_date(client, plan):
    action = plan.all_actions()[0]
    client.post(reverse("action_done", args=[plan.id, action.id]), {"done": "1"})
    r = client.post(
        reverse("plan_checkin", args=[plan.id]),
        {"date": timezone.localdate().isoformat(), "note": "Good fortnight", "confidence": "4"},
    )
    assert r.status_code == 302
    c = plan.checkins.get()
    assert (c.confidence, c.done_count, c.total_count) == (4, 1, 9)


@pytest.mark.django_db
def test_a_checkin_without_confidence_is_refused_with_the_note_kept(client, plan):
    r = client.post(
        reverse("plan_checkin", args=[plan.id]),
        {"date": timezone.localdate().isoformat(), "note": "my note", "form": "checkin"},
    )
    assert r.status_code == 400
    assert "my note" in r.content.decode()
    assert not plan.checkins.exists()
