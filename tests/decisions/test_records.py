"""Decision records: weighted totals, templates, Markdown, and the rules a record keeps."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from leadshift.core.errors import Invalid, NotAllowed
from leadshift.decisions import record as rec
from leadshift.decisions.models import Decision
from leadshift.decisions.services import (
    DecisionIn,
    OptionIn,
    calibration,
    do_create_decision,
    do_record_outcome,
    do_update_decision,
    input_from_starter,
    reviews_due,
)


def test_the_weighted_total_is_the_weight_averaged_score():
    crit = [rec.Criterion("impact", 3), rec.Criterion("cost", 1)]
    assert rec.weighted_total(crit, [8, 4]) == pytest.approx((3 * 8 + 4) / 4)


def test_unscored_criteria_do_not_count_and_nothing_scored_gives_none():
    crit = [rec.Criterion("impact", 3), rec.Criterion("cost", 1)]
    assert rec.weighted_total(crit, [None, 4]) == 4
    assert rec.weighted_total(crit, [None, None]) is None


@given(
    st.lists(st.floats(0, 10), min_size=1, max_size=6),
    st.lists(st.floats(0.1, 5), min_size=6, max_size=6),
)
def test_a_weighted_total_stays_between_the_lowest_and_highest_score(scores, weights):
    crit = [rec.Criterion(f"c{k}", w) for k, w in enumerate(weights)]
    total = rec.weighted_total(crit, scores)
    assert total is not None
    assert min(scores) - 1e-9 <= total <= max(scores) + 1e-9


def test_options_rank_best_total_first_and_unscored_last():
    crit = [rec.Criterion("a", 1)]
    opts = [
        rec.Option("x", scores=(None,)),
        rec.Option("y", scores=(3,)),
        rec.Option("z", scores=(9,)),
    ]
    assert rec.ranked(crit, opts) == [2, 1, 0]


def test_the_three_known_frameworks_are_there():
    assert {"weighted-criteria", "one-way-two-way-door", "pre-mortem"} <= set(rec.STARTER_BY_SLUG)
    assert len(rec.STARTER_BY_SLUG["pre-mortem"].premortem) >= 4


def test_markdown_has_the_scoring_table_the_choice_and_the_forecast():
    r = rec.Record(
        id=1,
        question="Build or buy billing?",
        kind="technology",
        criteria=(rec.Criterion("Cost", 2), rec.Criterion("Speed", 1)),
        options=(rec.Option("Build", scores=(4, 2)), rec.Option("Buy | SaaS", scores=(7, 9))),
        chosen=1,
        rationale="Time to market matters more.",
        reversible=False,
        decided_by=("Maya Okafor",),
        forecast=0.7,
        forecast_by=dt.date(2026, 6, 1),
        review_on=dt.date(2026, 6, 15),
    )
    md = rec.markdown(r)
    assert md.startswith("# Build or buy billing?\n")
    assert "| Option | Cost (×2) | Speed (×1) | Weighted total |" in md
    assert "| Buy \\| SaaS ✔ | 7 | 9 | 7.67 |" in md
    assert "one-way (hard to reverse)" in md
    assert "70% that it succeeds by 2026-06-01." in md
    assert "**Decided by:** Maya Okafor" in md


def _decision(**kw) -> DecisionIn:
    base = dict(
        question="Should we enter the German market?",
        kind="market_entry",
        criteria=[("Revenue", 3.0), ("Cost", 1.0)],
        options=[OptionIn("Enter now", "", [8, 3]), OptionIn("Wait a year", "", [4, 8])],
        chosen=0,
        decided_on=dt.date(2026, 1, 10),
        forecast=0.65,
        review_on=dt.date(2026, 7, 1),
    )
    base.update(kw)
    return DecisionIn(**base)


@pytest.mark.django_db
def test_a_decision_is_stored_with_its_options_scores_and_choice(team):
    head = team["head"]
    d = do_create_decision(head, _decision(decided_by=[head.id], consulted=[team["group"].id]))
    r = d.record()
    assert [o.name for o in r.options] == ["Enter now", "Wait a year"]
    assert r.options[0].scores == (8, 3)
    assert r.chosen == 0
    assert r.decided_by == ("Hana Head",) and r.consulted == ("Gus Group",)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "change, field",
    [
        ({"forecast": 1.2}, "forecast"),
        ({"forecast": -0.1}, "forecast"),
        ({"review_on": None}, "review_on"),
        ({"question": "  "}, "question"),
        ({"kind": "astrology"}, "kind"),
        ({"criteria": [("Revenue", -1.0), ("Cost", 1.0)]}, "criteria.0.weight"),
        ({"options": [OptionIn("Enter now", "", [11, 3])]}, "options.0.scores.0"),
        ({"chosen": 5}, "chosen"),
    ],
)
def test_bad_input_names_the_field_and_saves_nothing(team, change, field):
    with pytest.raises(Invalid) as err:
        do_create_decision(team["head"], _decision(**change))
    assert err.value.field == field
    assert Decision.objects.count() == 0


@pytest.mark.django_db
def test_people_of_another_organisation_cannot_be_named(team, make_org):
    outsider = make_org("Other")
    with pytest.raises(Invalid) as err:
        do_create_decision(team["head"], _decision(informed=[outsider.id]))
    assert err.value.field == "informed"
    assert Decision.objects.count() == 0


@pytest.mark.django_db
def test_a_failed_update_leaves_the_decision_as_it_was(team):
    d = do_create_decision(team["head"], _decision())
    with pytest.raises(Invalid):
        do_update_decision(
            d, team["head"], _decision(options=[OptionIn("Only", "", [1])], forecast=3)
        )
    d.refresh_from_db()
    assert d.forecast == 0.65 and d.options.count() == 2


@pytest.mark.django_db
def test_a_peer_may_not_change_or_review_someone_elses_decision(team):
    d = do_create_decision(team["pm"], _decision())
    with pytest.raises(NotAllowed):
        do_record_outcome(d, team["peer"], outcome="failed", lesson="")
    do_record_outcome(d, team["head"], outcome="failed", lesson="Too early", on=dt.date(2026, 7, 2))


@pytest.mark.django_db
def test_reviews_come_due_on_their_date_and_leave_once_reviewed(team):
    head = team["head"]
    d = do_create_decision(head, _decision())
    assert reviews_due(head, dt.date(2026, 6, 30)) == []
    assert reviews_due(head, dt.date(2026, 7, 1)) == [d]
    do_record_outcome(d, head, outcome="succeeded", lesson="", on=dt.date(2026, 7, 1))
    assert reviews_due(head, dt.date(2026, 7, 1)) == []


@pytest.mark.django_db
def test_calibration_scores_reviewed_forecasts_by_kind_and_leaves_out_partly(team):
    head = team["head"]
    for kind, p, outcome in [
        ("pricing", 0.8, "succeeded"),
        ("pricing", 0.8, "failed"),
        ("hiring", 0.6, "succeeded"),
        ("hiring", 0.5, "partly"),
    ]:
        d = do_create_decision(head, _decision(kind=kind, forecast=p))
        do_record_outcome(d, head, outcome=outcome, lesson="", on=dt.date(2026, 7, 2))
    do_create_decision(head, _decision(kind="pricing", forecast=0.9))  # not reviewed
    data = calibration(head)
    assert data["count"] == 3 and data["partly_left_out"] == 1
    groups = {g["kind"]: g for g in data["groups"]}
    assert groups["pricing"]["brier"] == pytest.approx((0.2**2 + 0.8**2) / 2)
    assert groups["hiring"]["brier"] == pytest.approx(0.4**2)
    assert groups["all"]["count"] == 3


def test_a_template_starts_a_decision_with_its_criteria_and_questions():
    data = input_from_starter("weighted-criteria")
    assert data.criteria[0][0] == "Impact on company objectives"
    assert "It is a year from now" in input_from_starter("pre-mortem").premortem
    with pytest.raises(Invalid):
        input_from_starter("astrology")


@pytest.mark.django_db
def test_links_point_at_the_real_initiative_and_an_unknown_one_is_refused(team):
    from leadshift.portfolio.models import Initiative

    org = team["org"]
    item = Initiative.objects.create(
        organisation=org, key="checkout-v2", name="Checkout v2", value_likely=10
    )
    d = do_create_decision(team["head"], _decision(links=[("initiative", "checkout-v2")]))
    assert d.links.get().initiative == item
    with pytest.raises(Invalid) as err:
        do_create_decision(team["head"], _decision(links=[("initiative", "teleporter")]))
    assert err.value.field == "links.0" and "unknown initiative" in err.value.message
    assert Decision.objects.count() == 1
