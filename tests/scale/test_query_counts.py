"""No page's query count grows with the number of people, initiatives, risks, decisions or
stakeholders it shows: each main page is counted on a small organisation and again after it
has grown to ten times the size."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from leadshift.planning.services import do_adopt, do_create_scenario, do_start_run
from tests.scale import orgs

pytestmark = pytest.mark.django_db

SMALL = 2


def count(client: Any, url: str) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries), [q["sql"] for q in ctx.captured_queries]


def same_count_small_and_ten_times(
    client: Any, viewer: Any, url: str, grow: Callable[[int, int], None]
) -> None:
    client.force_login(viewer.user)
    grow(SMALL, 0)
    small, _ = count(client, url)
    grow(9 * SMALL, SMALL)  # now ten times the size
    large, queries = count(client, url)
    assert large == small, f"{url}: {small} queries, then {large} at ten times the size:\n" + (
        "\n".join(queries)
    )


def test_the_dashboard_of_a_leader(client, team):
    org, head = team["org"], team["head"]

    def grow(n: int, start: int) -> None:
        orgs.people(org, head, n, start)
        orgs.decisions(head, n)

    same_count_small_and_ten_times(client, head, reverse("home"), grow)


def test_the_team_heatmap(client, team):
    org, head = team["org"], team["head"]
    same_count_small_and_ten_times(
        client,
        head,
        reverse("feedback_team"),
        lambda n, s: orgs.people(org, head, n, s, with_360=True),
    )


def test_the_reports_index(client, team):
    org, head = team["org"], team["head"]
    same_count_small_and_ten_times(
        client, head, reverse("reports"), lambda n, s: orgs.people(org, head, n, s)
    )


def test_the_reports_index_searched_and_on_page_2(client, team):
    org, head = team["org"], team["head"]
    same_count_small_and_ten_times(
        client, head, reverse("reports") + "?q=pm&page=2", lambda n, s: orgs.people(org, head, n, s)
    )


def test_my_team(client, team):
    org, head = team["org"], team["head"]
    same_count_small_and_ten_times(
        client, head, reverse("team"), lambda n, s: orgs.people(org, head, n, s)
    )


def test_the_portfolio(client, team):
    org, head = team["org"], team["head"]
    same_count_small_and_ten_times(
        client, head, reverse("portfolio_home"), lambda n, s: orgs.initiatives(org, head, n + s)
    )


def test_the_initiatives(client, team):
    org, head = team["org"], team["head"]
    same_count_small_and_ten_times(
        client,
        head,
        reverse("portfolio_initiatives"),
        lambda n, s: orgs.initiatives(org, head, 10 * (n + s)),
    )


def test_the_plan_of_record(client, team, settings):
    settings.LEADSHIFT_RUNS_IN_BACKGROUND = False
    org, head = team["org"], team["head"]

    def grow(n: int, start: int) -> None:
        orgs.initiatives(org, head, 10 * (n + start))
        s = do_create_scenario(org, head, name=f"Plan {n}")
        do_adopt(s, head, do_start_run(s, head, time_limit=5))

    same_count_small_and_ten_times(client, team["pm"], reverse("plan_of_record"), grow)


def test_the_planners_scenario_page(client, team, settings):
    settings.LEADSHIFT_RUNS_IN_BACKGROUND = False
    org, head = team["org"], team["head"]
    scenario = do_create_scenario(org, head, name="Plan")

    def grow(n: int, start: int) -> None:
        orgs.initiatives(org, head, 10 * (n + start))
        for _ in range(n // 2):  # 1 run, then 10 (the page lists the last 10)
            do_start_run(scenario, head, time_limit=5)

    same_count_small_and_ten_times(
        client, head, reverse("planning_scenario", args=[scenario.id]), grow
    )


def test_the_risk_register(client, team):
    org, head = team["org"], team["head"]

    def grow(n: int, start: int) -> None:
        orgs.initiatives(org, head, 10 * (n + start))
        orgs.risks(org, head, n)

    same_count_small_and_ten_times(client, head, reverse("risk_register"), grow)


def test_the_decisions_list(client, team):
    same_count_small_and_ten_times(
        client, team["head"], reverse("decision_list"), lambda n, s: orgs.decisions(team["head"], n)
    )


def test_the_stakeholder_map(client, team):
    same_count_small_and_ten_times(
        client,
        team["head"],
        reverse("stakeholder_map", args=[team["head"].id]),
        lambda n, s: orgs.stakeholders(team["head"], n),
    )


def test_the_pivot_radar(client, team):
    from leadshift.portfolio.services import do_add_snapshot, do_save_product
    from leadshift.risk.models import Risk
    from leadshift.stakeholders.services import do_add_stakeholder, do_log_interaction

    org, head = team["org"], team["head"]

    def grow(n: int, start: int) -> None:
        import datetime as dt

        orgs.initiatives(org, head, 10 * (n + start))
        orgs.risks(org, head, n)
        Risk.objects.filter(organisation=org).update(trigger_fired_on=dt.date.today())
        orgs.decisions(head, n)
        for i in range(start, start + n):
            p = do_save_product(org, head, key=f"p{i}", name=f"P{i}")
            for k, share in enumerate((1.4, 1.4, 0.6)):
                metrics = {"market_growth": 0.2, "relative_share": share}
                do_add_snapshot(p, head, taken_on=dt.date(2026, 3 + 3 * k, 1), metrics=metrics)
            s = do_add_stakeholder(
                head, head, {"name": f"S{i}", "stance": "blocker", "product_ids": [p.id]}
            )
            do_log_interaction(s, head, date=dt.date.today(), kind="call", note="No.", tone=-2)

    same_count_small_and_ten_times(client, head, reverse("radar"), grow)


def test_the_initiatives_searched_filtered_sorted_and_on_page_two(client, team):
    org, head = team["org"], team["head"]
    query = "?q=item&f_horizon=core&sort=-effort&page=2"
    same_count_small_and_ten_times(
        client,
        head,
        reverse("portfolio_initiatives") + query,
        lambda n, s: orgs.initiatives(org, head, 30 * (n + s)),
    )


def test_my_team_searched_filtered_and_sorted(client, team):
    org, head = team["org"], team["head"]
    same_count_small_and_ten_times(
        client,
        head,
        reverse("team") + "?q=pm&f_role=Senior+Product+Manager&sort=-readiness&page=2",
        lambda n, s: orgs.people(org, head, n, s),
    )


def test_the_team_heatmap_searched_filtered_by_team_and_sorted(client, team):
    org, head = team["org"], team["head"]
    same_count_small_and_ten_times(
        client,
        head,
        reverse("feedback_team") + "?q=pm&f_team=Team+0&sort=-name&page=2",
        lambda n, s: orgs.people(org, head, n, s, with_360=True),
    )
