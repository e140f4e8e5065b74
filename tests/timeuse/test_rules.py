"""Classifying typical meetings onto the five shifts with the default rules."""

from datetime import UTC, datetime, timedelta

import pytest

from leadshift.files import InputError
from leadshift.timeuse.ics import Meeting
from leadshift.timeuse.rules import Context, classify, classify_all, load_rules, rules_from_text

RULES = load_rules()
CONTEXT = Context.of(
    owner="maya@acme.com",
    reports=["tom@acme.com", "priya@acme.com"],
    executives=["ceo@acme.com"],
)


def meeting(title, attendees=(), organiser="maya@acme.com", recurring=False, hours=1.0):
    start = datetime(2026, 3, 2, 9, tzinfo=UTC)
    people = {*attendees, organiser, "maya@acme.com"}
    return Meeting(
        uid=title,
        title=title,
        start=start,
        end=start + timedelta(hours=hours),
        duration_hours=hours,
        all_day=False,
        organiser=organiser,
        attendees=("maya@acme.com", *attendees),
        attendee_count=len(people),
        recurring=recurring,
        owner_status="accepted",
    )


def poles_of(m):
    return classify(m, RULES, CONTEXT).poles


def test_it_puts_a_delivery_standup_toward_execution_in_one_product():
    m = meeting("Payments stand-up", ["dev1@acme.com", "dev2@acme.com"], recurring=True)
    assert poles_of(m) == {"focus:pm": 1.0, "scope:pm": 1.0, "decisions:pm": 1.0}


def test_it_puts_a_feature_review_toward_execution():
    assert (
        poles_of(meeting("Feature review: checkout", ["eng@acme.com", "ux@acme.com"]))["focus:pm"]
        == 1.0
    )


def test_it_puts_a_strategy_session_toward_strategy():
    assert poles_of(meeting("Strategy offsite prep", ["lena@acme.com", "raj@acme.com"])) == {
        "focus:leader": 1.0
    }


def test_it_puts_a_portfolio_session_on_the_leader_end_of_scope_decisions_and_focus():
    assert poles_of(meeting("Portfolio review", ["lena@acme.com", "raj@acme.com"])) == {
        "scope:leader": 1.0,
        "decisions:leader": 1.0,
        "focus:leader": 1.0,
    }


def test_it_puts_a_one_on_one_with_an_own_pm_toward_team_leadership():
    found = classify(meeting("Maya / Tom", ["tom@acme.com"]), RULES, CONTEXT)
    assert found.poles == {"team:leader": 1.0}
    assert found.rule_id == "one-on-one-own-pm"
    assert "own PMs" in found.reason


def test_it_puts_a_one_on_one_with_a_peer_toward_influence_without_authority():
    assert poles_of(meeting("Maya / Lena", ["lena@acme.com"])) == {"team:pm": 1.0}


def test_it_puts_a_board_meeting_on_the_leader_end_of_stakeholders():
    poles = poles_of(meeting("Board meeting Q2", ["chair@vcfund.com", "ceo@acme.com"]))
    assert poles["stakeholders:leader"] == 1.0
    assert "stakeholders:pm" not in poles


def test_it_does_not_read_a_dashboard_review_as_a_board_meeting():
    assert "stakeholders:leader" not in poles_of(meeting("Dashboard review", ["a@acme.com"]))


def test_it_puts_any_meeting_with_an_executive_on_the_leader_end_of_stakeholders():
    poles = poles_of(meeting("Checkout sprint review", ["ceo@acme.com", "dev@acme.com"]))
    assert poles["stakeholders:leader"] == 1.0
    assert poles["focus:pm"] == 1.0


def test_it_puts_a_customer_call_on_the_customer_end_of_stakeholders_only():
    assert poles_of(meeting("Call", ["buyer@globex.com"])) == {"stakeholders:pm": 1.0}


def test_it_puts_a_customer_interview_on_stakeholders_not_on_hiring():
    assert poles_of(meeting("Customer interview: Initech", ["pat@initech.com"])) == {
        "stakeholders:pm": 1.0
    }


def test_it_leaves_personal_blocks_unclassified_and_says_why():
    found = classify(meeting("Lunch", []), RULES, CONTEXT)
    assert found.poles == {}
    assert found.rule_id == "personal-time"


def test_it_leaves_an_unknown_meeting_unclassified():
    found = classify(meeting("Misc", ["a@acme.com", "b@acme.com"]), RULES, CONTEXT)
    assert found.poles == {}
    assert found.rule_id is None
    assert found.reason == "no rule matched"


def test_it_splits_a_roadmap_review_between_execution_and_strategy():
    poles = poles_of(meeting("Roadmap review", ["a@acme.com", "b@acme.com"]))
    assert poles["focus:pm"] == 0.5
    assert poles["focus:leader"] == 0.5


def test_it_applies_a_persons_own_rules_first_match_per_shift():
    rules = rules_from_text(
        """
rules:
  - id: growth-council
    description: Our growth council is portfolio work.
    when: {title_words: [growth council], min_size: 3}
    poles: {scope:leader: 1}
  - id: recurring-small
    description: Small recurring meetings are execution.
    when: {recurring: true, max_size: 4}
    poles: {scope:pm: 1, focus:pm: 1}
"""
    )
    found = classify(
        meeting("Growth council", ["a@acme.com", "b@acme.com"], recurring=True), rules, CONTEXT
    )
    assert found.poles == {"scope:leader": 1.0, "focus:pm": 1.0}
    assert found.rule_ids == ("growth-council", "recurring-small")


def test_it_matches_attendee_domains_and_the_organiser():
    rules = rules_from_text(
        """
rules:
  - id: partner
    description: Partner meetings I organise.
    when: {attendees: ["@partner.io"], organiser_is_owner: true}
    poles: {stakeholders:pm: 1}
"""
    )
    assert classify(meeting("x", ["z@partner.io"]), rules, CONTEXT).poles
    assert not classify(meeting("x", ["z@other.io"]), rules, CONTEXT).poles
    assert not classify(
        meeting("x", ["z@partner.io"], organiser="z@partner.io"), rules, CONTEXT
    ).poles


def test_it_gives_occurrences_of_one_series_the_same_answer_as_one_by_one():
    ms = [meeting("Payments stand-up", ["dev1@acme.com"], recurring=True) for _ in range(3)]
    ms.append(meeting("Maya / Tom", ["tom@acme.com"]))
    assert classify_all(ms, RULES, CONTEXT) == [classify(m, RULES, CONTEXT) for m in ms]


def test_it_rejects_a_rule_file_with_an_unknown_pole_and_names_the_line():
    with pytest.raises(InputError) as caught:
        rules_from_text(
            "rules:\n  - id: a\n    description: x\n    poles: {focus:boss: 1}\n", "mine.yaml"
        )
    assert "unknown pole 'focus:boss'" in str(caught.value)
    assert caught.value.problems[0].line == 4


def test_it_rejects_shares_that_add_up_to_more_than_the_meeting():
    with pytest.raises(InputError, match="more than 1"):
        rules_from_text(
            "rules:\n  - id: a\n    description: x\n    poles: {focus:pm: 0.7, focus:leader: 0.7}\n"
        )


def test_it_rejects_a_duplicate_rule_id_and_a_bad_regex():
    with pytest.raises(InputError) as caught:
        rules_from_text("rules:\n  - id: a\n    description: x\n  - id: a\n    description: y\n")
    assert caught.value.problems[0].line == 4
    with pytest.raises(InputError, match="regular expression"):
        rules_from_text("rules:\n  - id: a\n    description: x\n    when: {title_regex: '('}\n")


def test_it_shows_every_default_rule_with_a_description():
    shown = RULES.describe()
    assert len(shown) == len(RULES.rules) >= 10
    assert all(rule["description"] for rule in shown)
