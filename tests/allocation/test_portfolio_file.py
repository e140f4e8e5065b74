"""Portfolio files: every problem named with its line and path, nothing half-read."""

import json
from dataclasses import replace

import pytest

from leadshift.allocation import allocate, portfolio_from_document, read_portfolio
from leadshift.files import InputError, parse_text

GOOD = """\
periods: [Q1, Q2, Q3, Q4]
teams:
  - {id: platform, capacity: 20}
  - id: web
    capacity: {Q1: 12, Q2: 12, Q3: 10, Q4: 10}
objectives:
  - {id: growth, weight: 2}
  - {id: retention}
horizon_mix:
  target: {core: 70, adjacent: 20, transformational: 10}
  tolerance: 10
initiatives:
  - id: auth
    value: {low: 10, likely: 20, high: 60}
    effort: {platform: {low: 2, likely: 4, high: 9}}
    horizon: core
  - id: migrate-db
    value: 40
    effort: {platform: 8, web: 2}
    duration: 2
    after: [auth]
    mandatory: true
    latest: Q3
    horizon: core
    objectives: [{id: growth, share: 0.25}, {id: retention, share: 0.75}]
  - id: ai
    value: 80
    effort: {web: 10}
    horizon: transformational
    objectives: [growth]
    reach: 1000
    impact: 2
    confidence: 50
"""


def load(text, name="p.yaml"):
    return portfolio_from_document(parse_text(text, name))


def problems_of(text, name="p.yaml"):
    with pytest.raises(InputError) as caught:
        load(text, name)
    return str(caught.value).splitlines()


def test_it_reads_a_portfolio_with_ranges_objectives_and_a_horizon_mix():
    p = load(GOOD)
    assert p.periods == ("Q1", "Q2", "Q3", "Q4")
    assert p.teams[1].capacity == (12, 12, 10, 10)
    auth, db, ai = p.initiatives
    assert auth.value == pytest.approx(30.0)  # triangular mean of 10, 20, 60
    assert auth.effort == {"platform": pytest.approx(5.0)}
    assert auth.value_range is not None and auth.value_range.likely == 20
    assert db.after == ("auth",) and db.mandatory and db.duration == 2
    assert db.latest == 2 and db.latest_given
    assert p.horizon_mix is not None and p.horizon_mix.target["core"] == pytest.approx(0.7)
    assert p.horizon_mix.tolerance == pytest.approx(0.1)
    assert p.weighted_value(auth) == pytest.approx(30.0)  # names no objective: plain value
    assert p.weighted_value(db) == pytest.approx(40 * (0.25 * 2 + 0.75 * 1))
    assert p.weighted_value(ai) == pytest.approx(160.0)
    assert ai.confidence == pytest.approx(0.5)


def test_the_scores_follow_their_documented_derivations():
    p = load(GOOD)
    auth, db, ai = p.initiatives
    assert p.rice(ai) == pytest.approx(1000 * 2 * 0.5 / 10)
    assert p.rice(auth) == pytest.approx(30.0 * (10 / 60) / 5.0)  # confidence low/high
    assert p.value_per_effort(db) == pytest.approx(p.weighted_value(db) / 20)
    assert p.wsjf(db) == pytest.approx(p.weighted_value(db) * (1 + 1 / 3) / 20)
    assert p.wsjf(ai) == pytest.approx(160 / 10)


def test_a_json_portfolio_reads_the_same_as_yaml(tmp_path):
    path = tmp_path / "p.json"
    path.write_text(json.dumps(parse_text(GOOD).data, indent=2))
    assert read_portfolio(path).initiatives == load(GOOD).initiatives


def test_an_unknown_team_is_named_with_its_line_and_path():
    text = GOOD.replace("effort: {web: 10}", "effort: {tema_x: 10}")
    assert problems_of(text) == ["p.yaml:28: initiatives[2].effort.tema_x: unknown team 'tema_x'"]


def test_unknown_periods_in_capacity_and_windows_are_named():
    text = GOOD.replace("Q4: 10}", "Q5: 10}").replace("latest: Q3", "latest: Q9")
    got = problems_of(text)
    assert "p.yaml:5: teams[1].capacity.Q5: unknown period 'Q5' (periods are Q1, Q2, Q3, Q4)" in got
    assert "p.yaml:5: teams[1].capacity: no capacity for period 'Q4'" in got
    assert any(
        line.startswith("p.yaml:23: initiatives[1].latest: unknown period 'Q9'") for line in got
    )


def test_a_negative_capacity_is_refused():
    text = GOOD.replace("capacity: 20", "capacity: -5")
    assert problems_of(text) == ["p.yaml:3: teams[0].capacity: must be at least 0, got -5"]


def test_a_dependency_cycle_is_named_by_the_initiatives_in_it():
    text = GOOD.replace("  - id: auth\n", "  - id: auth\n    after: [ai]\n").replace(
        "objectives: [growth]", "objectives: [growth]\n    after: [migrate-db]"
    )
    got = problems_of(text)
    assert len(got) == 1
    assert "dependency cycle:" in got[0]
    assert all(name in got[0] for name in ("'auth'", "'ai'", "'migrate-db'")) or all(
        name in got[0] for name in ("auth", "ai", "migrate-db")
    )
    assert got[0].startswith("p.yaml:14: initiatives[0].after:")


def test_a_mandatory_item_that_cannot_fit_names_the_item_team_and_period():
    text = GOOD.replace("effort: {platform: 8, web: 2}", "effort: {platform: 8, web: 30}")
    got = problems_of(text)
    assert got == [
        "p.yaml:22: initiatives[1].mandatory: mandatory 'migrate-db' cannot fit: it needs 30 "
        "person-weeks of team 'web' in Q1 but it has 12 (allowed starts: Q1 or Q2 or Q3)"
    ]


def test_every_problem_is_reported_at_once():
    text = (
        GOOD.replace("capacity: 20", "capacity: -1")
        .replace("effort: {web: 10}", "effort: {nope: 10}")
        .replace("after: [auth]", "after: [ghost]")
        .replace("duration: 2", "duration: 0")
    )
    got = problems_of(text)
    assert len(got) == 4
    assert any("unknown initiative 'ghost'" in line for line in got)
    assert any("duration must be a whole number" in line for line in got)


def test_shares_horizons_and_unknown_fields_are_checked():
    text = (
        GOOD.replace("share: 0.75", "share: 0.5")
        .replace("horizon: transformational", "horizon: moonshot")
        .replace("reach: 1000", "rech: 1000")
    )
    got = problems_of(text)
    assert any("objective shares add up to 0.75, not 1" in line for line in got)
    assert any("horizon 'moonshot' is not in horizon_mix.target" in line for line in got)
    assert any(line.endswith("initiatives[2].rech: unknown field") for line in got)


def test_a_mandatory_initiative_whose_window_cannot_hold_its_duration_is_refused_in_words():
    text = GOOD.replace("    latest: Q3\n", "    earliest: Q4\n")
    assert problems_of(text) == [
        "p.yaml:22: initiatives[1].mandatory: mandatory 'migrate-db' cannot be planned: it runs "
        "2 period(s); started no earlier than Q4 it would end after the last period Q4"
    ]


def test_an_optional_initiative_that_cannot_fit_the_periods_is_left_out_with_its_reason():
    text = GOOD.replace("    mandatory: true\n", "").replace(
        "    latest: Q3\n", "    earliest: Q4\n"
    )
    p = load(text)
    assert [a.id for a in p.initiatives] == ["auth", "ai"]
    assert [(a.id, why) for a, why in p.unfit] == [
        (
            "migrate-db",
            "it runs 2 period(s); started no earlier than Q4 it would end after the last period Q4",
        )
    ]
    plan = allocate(p, time_limit=5)
    assert plan.status == "optimal"
    out = {x.id: (x.rule, x.reason) for x in plan.left_out}
    assert out["migrate-db"] == ("window", p.unfit[0][1])


def test_what_waits_on_an_initiative_that_cannot_fit_is_left_out_too():
    text = (
        GOOD.replace("    mandatory: true\n", "")
        .replace("    latest: Q3\n", "    deadline: Q1\n")
        .replace(
            "    objectives: [growth]\n", "    objectives: [growth]\n    after: [migrate-db]\n"
        )
    )
    p = load(text)
    assert [a.id for a in p.initiatives] == ["auth"]
    reasons = dict((a.id, why) for a, why in p.unfit)
    assert reasons["migrate-db"] == "it runs 2 period(s), so it cannot finish by Q1"
    assert reasons["ai"] == (
        "it waits on 'migrate-db', which cannot fit: it runs 2 period(s), so it cannot finish by Q1"
    )


def test_a_mandatory_initiative_waiting_on_one_that_cannot_fit_makes_the_file_infeasible():
    text = (
        GOOD.replace("    mandatory: true\n", "")
        .replace("    latest: Q3\n", "    deadline: Q1\n")
        .replace(
            "    confidence: 50\n",
            "    confidence: 50\n    mandatory: true\n    after: [migrate-db]\n",
        )
    )
    got = problems_of(text)
    assert len(got) == 1
    assert got[0].endswith(
        "initiatives[2].mandatory: mandatory 'ai' cannot be planned: it waits on 'migrate-db', "
        "which cannot fit: it runs 2 period(s), so it cannot finish by Q1"
    )


def test_done_and_dropped_initiatives_are_not_planned_again_and_what_waited_on_done_may_start():
    text = GOOD.replace(
        "    horizon: core\n  - id: migrate-db",
        "    horizon: core\n    status: done\n  - id: migrate-db",
    )
    p = load(text)
    assert [a.id for a in p.initiatives] == ["migrate-db", "ai"]
    assert p.initiatives[0].after == ()
    assert [(a.id, why) for a, why in p.closed] == [("auth", "it is done")]
    assert [a.id for a in p.every_initiative] == ["migrate-db", "ai", "auth"]
    # Without "auth" the core share cannot reach the horizon mix: plan without that rule.
    p = replace(p, horizon_mix=None)
    plan = allocate(p, time_limit=5)
    assert {x.id: (x.rule, x.reason) for x in plan.left_out}["auth"] == ("status", "it is done")
    assert "auth" not in {x.id for x in plan.selected}


def test_what_waits_on_a_dropped_initiative_is_left_out_and_a_mandatory_one_is_infeasible():
    dropped = GOOD.replace(
        "    horizon: core\n  - id: migrate-db",
        "    horizon: core\n    status: dropped\n  - id: migrate-db",
    )
    got = problems_of(dropped)
    assert len(got) == 1
    assert got[0].endswith(
        "initiatives[1].mandatory: mandatory 'migrate-db' cannot be planned: it waits on 'auth', "
        "which was dropped"
    )
    p = load(dropped.replace("    mandatory: true\n", ""))
    assert [a.id for a in p.initiatives] == ["ai"]
    assert dict((a.id, why) for a, why in p.closed) == {
        "auth": "it is dropped",
        "migrate-db": "it waits on 'auth', which was dropped",
    }


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_portfolio(tmp_path / "absent.yaml")
