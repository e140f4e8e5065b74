"""The paged team heatmap: a page of people drawn, the common gaps of everyone, and the CSV
with every person's estimates."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from leadshift.feedback.team import common_gaps, team_overview
from tests.scale import orgs

pytestmark = pytest.mark.django_db


@pytest.fixture
def grown(team):
    orgs.people(team["org"], team["head"], 4, with_360=True)
    orgs.people(team["org"], team["head"], 4, start=4)  # self-assessed only
    return team


def test_the_common_gaps_read_lightly_are_the_ones_the_whole_overview_finds(grown):
    head = grown["head"]
    assert common_gaps(head) == team_overview(head).gaps
    assert common_gaps(head)  # the orgs' raters answer low: there are gaps to compare


def test_the_page_draws_the_people_the_team_filter_keeps_and_all_the_gaps(client, grown):
    client.force_login(grown["head"].user)
    body = client.get(reverse("feedback_team"), {"f_team": "Team 1"}).content.decode()
    heat = body.split('id="h-heat"')[1].split("</figure>")[0]
    assert "PM 0002" in heat and "PM 0003" in heat and "PM 0001" not in heat
    gaps = body.split('id="h-gaps"')[1]
    assert all(g.name in gaps for g in common_gaps(grown["head"]))


def test_the_csv_has_everyone_with_their_verdict_and_estimates(client, grown):
    client.force_login(grown["head"].user)
    response = client.get(reverse("feedback_team"), {"format": "csv", "q": "pm 0"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:5] == ["Person", "Team", "Target role", "Verdict", "Source"]
    assert sorted(r[0] for r in rows[1:]) == [f"PM {i:04}" for i in range(8)]
    assert {r[4] for r in rows[1:]} == {"360", "self"}
