"""A leader's 1:1 series with someone they lead: the agenda builds itself, notes, actions."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from leadshift.coaching import services
from leadshift.coaching.models import Series
from leadshift.core.dates import day
from leadshift.core.errors import Invalid, NotAllowed
from leadshift.decisions.services import DecisionIn, do_create_decision
from leadshift.growth.services import do_record_checkin
from leadshift.stakeholders.services import do_add_stakeholder

pytestmark = pytest.mark.django_db


def test_a_leader_starts_a_series_with_someone_anywhere_below_them(client, team):
    client.force_login(team["head"].user)
    r = client.post(
        reverse("coaching_start"), {"person": team["pm"].id, "cadence": "monthly"}, follow=True
    )
    assert r.status_code == 200 and b"Hana Head and Pia PM" in r.content
    series = Series.objects.get(leader=team["head"], person=team["pm"])
    assert series.upcoming().on == timezone.localdate()


def test_it_refuses_a_series_with_someone_the_leader_does_not_lead(
    client, team, make_org, make_person
):
    other_org = make_person(make_org("Other").organisation, "Olga Other")
    client.force_login(team["group"].user)
    for who in (team["peer"], team["head"], other_org):
        r = client.post(reverse("coaching_start"), {"person": who.id, "cadence": "weekly"})
        assert r.status_code == 404
    with pytest.raises(NotAllowed):
        services.do_start_series(team["group"], team["group"], cadence="weekly")
    assert not Series.objects.exists()


def test_it_rejects_an_unknown_cadence_and_a_second_series_for_the_same_pair(team, series):
    with pytest.raises(Invalid, match="cadence"):
        services.do_start_series(team["head"], team["pm"], cadence="daily")
    with pytest.raises(Invalid, match="already"):
        services.do_start_series(team["group"], team["pm"], cadence="weekly")


def test_the_agenda_builds_itself_from_the_plan_decisions_and_stakeholders(
    client, team, pias_plan, series
):
    pm, gus = team["pm"], team["group"]
    meeting = series.upcoming()
    do_record_checkin(pias_plan, pm, date=timezone.localdate(), note="Slow week", confidence=2)
    do_create_decision(
        pm,
        DecisionIn(
            question="Sunset the legacy exporter?",
            forecast=0.7,
            review_on=meeting.on - dt.timedelta(days=3),
        ),
    )
    do_add_stakeholder(pm, pm, {"name": "Cleo CFO", "cadence_days": 14})
    services.do_add_item(meeting, gus, "Your promotion case")
    client.force_login(gus.user)
    page = client.get(reverse("coaching_series", args=[series.id])).content.decode()
    overdue = [a for a in pias_plan.all_actions() if a.due_on < meeting.on]
    assert overdue and "plan action" in page and overdue[0].title in page
    assert "Confidence at the last check-in: 2/5" in page
    assert "Sunset the legacy exporter?" in page
    assert "Cleo CFO" in page
    assert "Your promotion case" in page


def test_agreed_actions_go_into_the_plan_and_holding_the_meeting_schedules_the_next(
    client, team, pias_plan, series
):
    meeting = series.upcoming()
    client.force_login(team["pm"].user)
    due = pias_plan.starts_on + dt.timedelta(days=40)
    r = client.post(
        reverse("coaching_action", args=[series.id, meeting.id]),
        {"title": "Present the vision to the exec team", "due_on": due.isoformat()},
        follow=True,
    )
    assert b"Added to the development plan" in r.content
    assert "Present the vision to the exec team" in [a.title for a in pias_plan.all_actions()]
    client.post(reverse("coaching_note", args=[series.id, meeting.id]), {"text": "Good talk"})
    r = client.post(reverse("coaching_finish", args=[series.id, meeting.id]), follow=True)
    nxt = series.upcoming()
    assert nxt.on == meeting.on + dt.timedelta(days=14)
    assert f"{day(nxt.on)}".encode() in r.content
    meeting.refresh_from_db()
    assert meeting.done


def test_monthly_cadence_keeps_the_day_of_the_month_where_it_can(team):
    s = Series(leader=team["group"], person=team["pm"], cadence="monthly")
    assert s.next_after(dt.date(2026, 1, 31)) == dt.date(2026, 2, 28)
    assert s.next_after(dt.date(2026, 12, 5)) == dt.date(2027, 1, 5)


def test_an_agreed_action_needs_a_plan_and_an_empty_note_is_refused(team, series):
    meeting = series.upcoming()
    with pytest.raises(Invalid, match="no development plan"):
        services.do_agree_action(meeting, team["group"], title="X", due_on=timezone.localdate())
    with pytest.raises(Invalid, match="cannot be empty"):
        services.do_add_note(meeting, team["group"], "  ", private=False)


def test_the_api_lists_a_series_with_its_agenda_and_starts_one(client, team, series):
    from leadshift.people.services import do_create_api_token

    _, raw = do_create_api_token(team["head"])
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    r = client.post(
        "/api/v1/oneonones",
        {"person": team["pm"].id, "cadence": "weekly"},
        content_type="application/json",
        **auth,
    )
    assert r.status_code == 201 and r.json()["cadence"] == "weekly"
    sid = r.json()["id"]
    r = client.post(
        f"/api/v1/oneonones/{sid}/items",
        {"text": "Career"},
        content_type="application/json",
        **auth,
    )
    assert r.status_code == 201
    assert (
        client.get(f"/api/v1/oneonones/{sid}", **auth).json()["upcoming"]["agenda"][-1]["title"]
        == "Career"
    )
    # Gus's series with Pia is not Hana's to open, though Pia is below her.
    assert client.get(f"/api/v1/oneonones/{series.id}", **auth).status_code == 404
    r = client.post(
        "/api/v1/oneonones",
        {"person": team["peer"].id + 1000, "cadence": "weekly"},
        content_type="application/json",
        **auth,
    )
    assert r.status_code == 404
