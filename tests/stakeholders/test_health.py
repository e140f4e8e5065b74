"""Relationship health, cadence and suggestions: the documented formula and its properties."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from leadshift.stakeholders.health import (
    Contact,
    StakeholderState,
    due,
    health,
    health_trend,
    suggest,
)

TODAY = dt.date(2026, 6, 1)
contacts_st = st.lists(
    st.builds(
        Contact,
        on=st.dates(min_value=dt.date(2025, 1, 1), max_value=TODAY),
        tone=st.integers(-2, 2),
    ),
    max_size=12,
)
cadence_st = st.one_of(st.none(), st.integers(1, 120))


def test_a_relationship_without_contact_has_no_health_yet():
    assert health([], TODAY) is None
    assert health([Contact(TODAY + dt.timedelta(days=3), 2)], TODAY) is None


def test_neutral_contacts_on_cadence_sit_at_fifty():
    assert health([Contact(TODAY - dt.timedelta(days=5), 0)], TODAY, 14) == 50.0


def test_an_overdue_relationship_halves_with_every_further_cadence():
    c = [Contact(TODAY - dt.timedelta(days=40), 0)]
    tone_only = health(c, TODAY - dt.timedelta(days=30), 10) / 50  # on cadence then
    assert abs(health(c, TODAY, 10) - 50 * tone_only * 2 ** (-30 / 10)) < 1e-9


@given(contacts_st, cadence_st)
def test_health_stays_between_0_and_100(contacts, cadence):
    h = health(contacts, TODAY, cadence)
    assert h is None or 0 <= h <= 100


@given(contacts_st, cadence_st)
def test_a_good_contact_today_never_lowers_health(contacts, cadence):
    before = health(contacts, TODAY, cadence)
    after = health([*contacts, Contact(TODAY, 2)], TODAY, cadence)
    assert after is not None
    assert before is None or after >= before - 1e-9


@given(contacts_st, cadence_st, st.data())
def test_a_contact_that_went_better_never_lowers_health(contacts, cadence, data):
    if not contacts:
        return
    i = data.draw(st.integers(0, len(contacts) - 1))
    better = list(contacts)
    better[i] = Contact(better[i].on, min(2, better[i].tone + 1))
    assert health(better, TODAY, cadence) >= health(contacts, TODAY, cadence) - 1e-9


@given(contacts_st.filter(bool), cadence_st, st.integers(1, 400))
def test_left_alone_a_friendly_relationship_never_improves(contacts, cadence, days):
    friendly = [Contact(c.on, abs(c.tone)) for c in contacts]
    later = TODAY + dt.timedelta(days=days)
    assert health(friendly, later, cadence) <= health(friendly, TODAY, cadence) + 1e-9


def test_the_trend_has_one_point_a_month_ending_today():
    trend = health_trend([Contact(TODAY - dt.timedelta(days=100), 1)], TODAY)
    assert len(trend) == 12 and trend[-1][0] == TODAY
    assert trend[0][1] is None and trend[-1][1] is not None


def test_someone_never_met_is_due_from_the_day_they_were_added():
    d = due([], TODAY, 14, since=TODAY - dt.timedelta(days=10))
    assert d.is_overdue and d.overdue_days == 10
    assert due([], TODAY, None, since=TODAY).due_on is None


def test_the_next_contact_is_due_one_cadence_after_the_last():
    d = due([Contact(TODAY - dt.timedelta(days=20), 1)], TODAY, 14, since=dt.date(2025, 1, 1))
    assert d.due_on == TODAY - dt.timedelta(days=6) and d.overdue_days == 6


def state(key, influence, days_ago, tone=1, stance="neutral", cadence=14):
    contacts = () if days_ago is None else (Contact(TODAY - dt.timedelta(days=days_ago), tone),)
    return StakeholderState(
        key=key,
        name=f"S{key}",
        role="CFO",
        influence=influence,
        stance=stance,
        cadence_days=cadence,
        since=TODAY - dt.timedelta(days=200),
        contacts=contacts,
    )


def test_nobody_on_cadence_and_steady_is_suggested():
    assert suggest([state(1, 5, 3)], TODAY) == []


def test_more_overdue_and_more_influential_comes_first_with_its_reasons_in_words():
    found = suggest(
        [state(1, 2, 40), state(2, 5, 40), state(3, 5, 20, tone=-1, stance="sceptic")], TODAY
    )
    assert [s.key for s in found][:1] == [2]
    words = {s.key: s.text for s in found}
    assert "26 days overdue on a 14-day cadence" in words[2]
    assert "influence 5 of 5" in words[2]
    assert "the last contact went badly" in words[3] and "a sceptic" in words[3]


def test_someone_never_met_is_suggested_as_such():
    (found,) = suggest([state(1, 4, None)], TODAY)
    assert "you have not met yet" in found.text
