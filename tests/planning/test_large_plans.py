"""A plan of thousands of initiatives is summarised on its pages (cells as counts, the first
left-out ones), with a link to the whole; a small plan is shown whole as before."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from leadshift.planning import presentation
from leadshift.planning.services import do_adopt, do_create_scenario, do_start_run

pytestmark = pytest.mark.django_db


@pytest.fixture
def adopted(portfolio):
    org, head = portfolio["org"], portfolio["head"]
    scenario = do_create_scenario(org, head, name="Next half")
    run = do_start_run(scenario, head, time_limit=5)
    do_adopt(scenario, head)
    return {**portfolio, "scenario": scenario, "run": run}


@pytest.fixture
def as_if_large(monkeypatch):
    """The example portfolio is a dozen initiatives: call a plan large from two on."""
    monkeypatch.setattr(presentation, "SUMMARISED_OVER", 2)
    monkeypatch.setattr(presentation, "LEFT_OUT_SHOWN", 1)


def chips(body: str) -> int:
    return len(re.findall(r'<span class="chip"', body))


def test_a_small_plan_of_record_is_shown_whole(client, adopted):
    client.force_login(adopted["pm"].user)
    body = client.get(reverse("plan_of_record")).content.decode()
    whole = client.get(reverse("plan_of_record") + "?plan=whole").content.decode()
    assert chips(body) == chips(whole) > 0
    assert "Show every initiative" not in body


def test_a_large_plan_of_record_shows_counts_and_links_to_the_whole(client, adopted, as_if_large):
    result = adopted["run"].result
    client.force_login(adopted["pm"].user)
    body = client.get(reverse("plan_of_record")).content.decode()
    assert chips(body) == 0
    assert f"{len(result['selected']) + len(result['left_out'])} initiatives" in body
    assert re.search(r"\d+ initiatives?</?", body)
    whole = client.get(reverse("plan_of_record") + "?plan=whole").content.decode()
    assert chips(whole) > 0 and "Show every initiative" not in whole
    left_out = result["left_out"]
    if len(left_out) > 1:
        assert f"And {len(left_out) - 1} more." in body
        for x in left_out:
            assert whole.count(x["reason"]) >= 1


def test_the_scenario_page_summarises_its_last_plan_the_same_way(client, adopted, as_if_large):
    client.force_login(adopted["head"].user)
    url = reverse("planning_scenario", args=[adopted["scenario"].id])
    body = client.get(url).content.decode()
    assert chips(body) == 0 and "Show every initiative" in body
    assert f"{adopted['run'].result['status']}, value" in body
    assert chips(client.get(url + "?plan=whole").content.decode()) > 0


def test_a_report_of_the_plan_shows_it_whole(client, adopted, as_if_large):
    client.force_login(adopted["head"].user)
    body = client.get(reverse("report", args=["portfolio", adopted["head"].id])).content.decode()
    assert chips(body) > 0
