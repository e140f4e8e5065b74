"""When the rules cannot all hold, the conflict is said in words."""

from leadshift.allocation import allocate, explain
from leadshift.allocation.problem import HorizonMix, Initiative, Portfolio, Team

PERIODS = ("Q1", "Q2", "Q3")


PLATFORM = (Team("platform", (20.0, 20.0, 20.0)),)


def portfolio(*items, teams=PLATFORM, mix=None):
    return Portfolio(periods=PERIODS, teams=teams, initiatives=tuple(items), horizon_mix=mix)


def test_two_mandatory_items_over_one_teams_capacity_are_named_with_the_numbers():
    p = portfolio(
        Initiative("migrate-db", 5.0, {"platform": 18.0}, mandatory=True, latest=0),
        Initiative("audit", 5.0, {"platform": 12.0}, mandatory=True, latest=0),
        Initiative("nice-to-have", 9.0, {"platform": 5.0}),
    )
    plan = allocate(p, time_limit=10)
    assert plan.status == "infeasible"
    assert plan.conflicts == [
        "mandatory 'migrate-db' and 'audit' together need 30 person-weeks of team 'platform' "
        "in Q1 but it has 20",
        "'migrate-db' may only start in Q1",
        "'audit' may only start in Q1",
    ]
    assert "infeasible" not in plan.message


def test_a_dependency_that_pushes_a_mandatory_item_past_its_window_is_explained():
    p = portfolio(
        Initiative("auth", 1.0, {"platform": 1.0}, duration=2, latest=1),
        Initiative("sso", 1.0, {"platform": 1.0}, after=("auth",), mandatory=True, latest=1),
    )
    got = explain(p)
    assert "'sso' must wait for 'auth' to finish (2 period(s))" in got
    assert "'sso' may only start between Q1 and Q2" in got
    assert "'sso' is mandatory" in got
    assert not any("platform" in line for line in got)


def test_a_horizon_mix_that_mandatory_work_cannot_meet_is_named():
    mix = HorizonMix({"core": 0.5, "new": 0.5}, 0.1)
    p = portfolio(
        Initiative("keep-lights-on", 1.0, {"platform": 10.0}, mandatory=True, horizon="core"),
        Initiative("bet", 1.0, {"web": 4.0}, horizon="new"),
        teams=(Team("platform", (20.0,) * 3), Team("web", (3.0,) * 3)),
        mix=mix,
    )
    got = explain(p)
    # Web's capacity is not part of it: even with one quarter freed, 'bet' is too small.
    assert got == [
        "'keep-lights-on' is mandatory",
        "the horizon mix (core 50%/new 50% of effort, ± 10%) must hold, and the mandatory work "
        "puts 10 person-weeks on 'core'",
    ]


def test_rules_that_can_all_hold_have_no_conflict():
    p = portfolio(Initiative("a", 1.0, {"platform": 5.0}, mandatory=True))
    assert explain(p) == []
