"""Undo after a delete: everything the delete removed comes back, to its author only, once,
within the window; otherwise a clear refusal and nothing changes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from leadshift.core.errors import Invalid, NotFound
from leadshift.decisions.models import Criterion, Decision, DecisionOption, Score
from leadshift.decisions.services import (
    DecisionIn,
    OptionIn,
    do_create_decision,
    do_delete_decision,
)
from leadshift.undo.models import UNDO_WINDOW, Deletion
from leadshift.undo.services import do_undo

pytestmark = pytest.mark.django_db


@pytest.fixture
def decision(team):
    return do_create_decision(
        team["pm"],
        DecisionIn(
            question="Sunset the legacy app?",
            kind="product_bet",
            criteria=[("Cost", 1.0), ("Risk", 2.0)],
            options=[OptionIn("Yes", "", [7, 3]), OptionIn("No", "", [2, 8])],
            chosen=0,
            decided_on=dt.date(2026, 1, 5),
            forecast=0.8,
            review_on=dt.date(2026, 2, 1),
        ),
    )


def counts():
    return (
        Decision.objects.count(),
        Criterion.objects.count(),
        DecisionOption.objects.count(),
        Score.objects.count(),
    )


def test_undo_puts_back_the_record_and_everything_deleted_with_it(team, decision):
    before = counts()
    pk = decision.pk
    ids = sorted(Score.objects.values_list("id", flat=True))
    deletion = do_delete_decision(decision, team["pm"])
    assert counts() == (0, 0, 0, 0)
    do_undo(team["pm"], deletion.id)
    assert counts() == before
    assert sorted(Score.objects.values_list("id", flat=True)) == ids
    restored = Decision.objects.get(pk=pk)
    assert restored.question == "Sunset the legacy app?" and restored.forecast == pytest.approx(0.8)


def test_only_the_person_who_deleted_may_undo(team, decision):
    deletion = do_delete_decision(decision, team["pm"])
    with pytest.raises(NotFound):
        do_undo(team["head"], deletion.id)
    assert not Decision.objects.exists()


def test_undo_works_once(team, decision):
    deletion = do_delete_decision(decision, team["pm"])
    do_undo(team["pm"], deletion.id)
    with pytest.raises(Invalid, match="can no longer be undone"):
        do_undo(team["pm"], deletion.id)
    assert Decision.objects.count() == 1


def test_undo_ends_when_the_window_closes(team, decision):
    deletion = do_delete_decision(decision, team["pm"])
    Deletion.objects.filter(pk=deletion.pk).update(
        created_at=deletion.created_at - UNDO_WINDOW - dt.timedelta(seconds=1)
    )
    with pytest.raises(Invalid, match="30 minutes"):
        do_undo(team["pm"], deletion.id)
    assert not Decision.objects.exists()


def test_the_page_after_a_delete_offers_undo_and_the_button_restores(client, team, decision):
    client.force_login(team["pm"].user)
    resp = client.post(reverse("decision_delete", args=[decision.id]), follow=True)
    page = resp.content.decode()
    deletion = Deletion.objects.get()
    assert reverse("undo", args=[deletion.id]) in page and "30 minutes" in page
    # Offered once: the next page no longer shows it.
    assert (
        reverse("undo", args=[deletion.id])
        not in client.get(reverse("decision_list")).content.decode()
    )
    resp = client.post(reverse("undo", args=[deletion.id]))
    assert resp.status_code == 302 and resp["Location"] == reverse(
        "decision_detail", args=[decision.id]
    )
    assert Decision.objects.filter(pk=decision.pk).exists()


def test_someone_else_posting_to_undo_gets_a_message_and_nothing_back(client, team, decision):
    deletion = do_delete_decision(decision, team["pm"])
    client.force_login(team["head"].user)
    resp = client.post(reverse("undo", args=[deletion.id]), follow=True)
    assert "nothing of yours to undo" in resp.content.decode()
    assert not Decision.objects.exists()
