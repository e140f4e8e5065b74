"""The long lists answer search, filters, sort and CSV; the navigation's search finds only
what the person may see."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from django.urls import reverse

from leadshift.portfolio.services import do_import
from leadshift.risk.services import RiskIn, do_save_risk
from leadshift.stakeholders.services import do_add_stakeholder

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "portfolio.yaml"
pytestmark = pytest.mark.django_db


def rows_of(resp):
    assert resp["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(b"".join(resp.streaming_content).decode())))


def test_the_team_list_searches_and_exports_what_it_shows(client, team):
    client.force_login(team["head"].user)
    page = client.get(reverse("team"), {"q": "pia"}).content.decode()
    assert "Pia PM" in page and "Pete Peer" not in page and "1 of 3 shown" in page
    rows = rows_of(client.get(reverse("team"), {"q": "pia", "format": "csv"}))
    assert rows[0][:2] == ["Person", "Title"] and [r[0] for r in rows[1:]] == ["Pia PM"]


def test_the_risk_csv_writes_a_formula_as_text(client, team):
    org = team["org"]
    do_import(org, None, EXAMPLE.read_text(), "portfolio.yaml")
    do_save_risk(
        org, team["head"], RiskIn(title='=HYPERLINK("http://evil.example","win")', probability=0.3)
    )
    do_save_risk(org, team["head"], RiskIn(title="Vendor slips", probability=0.6))
    client.force_login(team["head"].user)
    rows = rows_of(client.get(reverse("risk_register"), {"format": "csv", "sort": "-likelihood"}))
    assert [r[0] for r in rows[1:]] == ["Vendor slips", '\'=HYPERLINK("http://evil.example","win")']
    assert [r[2] for r in rows[1:]] == ["60", "30"]


def test_the_stakeholder_map_filters_by_stance(client, team):
    pm = team["pm"]
    do_add_stakeholder(
        pm,
        pm,
        {
            "name": "Dana CFO",
            "internal": "1",
            "stance": "sceptic",
            "influence": "5",
            "interest": "3",
        },
    )
    do_add_stakeholder(
        pm,
        pm,
        {
            "name": "Sol Sales",
            "internal": "1",
            "stance": "champion",
            "influence": "3",
            "interest": "4",
        },
    )
    client.force_login(pm.user)
    url = reverse("stakeholder_map", args=[pm.id])
    page = client.get(url, {"f_stance": "Champion"}).content.decode()
    assert "Sol Sales" in page and "1 of 2 shown" in page
    assert ">Dana CFO<" not in page.split('id="h-list"')[1]


def test_search_finds_a_report_for_their_manager_but_not_a_manager_for_their_report(client, team):
    client.force_login(team["head"].user)
    page = client.get(reverse("search"), {"q": "pia"}).content.decode()
    assert reverse("person_detail", args=[team["pm"].id]) in page
    client.force_login(team["pm"].user)
    page = client.get(reverse("search"), {"q": "hana"}).content.decode()
    assert reverse("person_detail", args=[team["head"].id]) not in page
    assert "Nothing you can see matches" in page


def test_search_never_reaches_another_organisation(client, team, make_org):
    other = make_org("Globex")
    client.force_login(team["head"].user)
    page = client.get(reverse("search"), {"q": "globex"}).content.decode()
    assert reverse("person_detail", args=[other.id]) not in page


def test_search_finds_initiatives_and_risks_only_for_leaders(client, team):
    org = team["org"]
    do_import(org, None, EXAMPLE.read_text(), "portfolio.yaml")
    do_save_risk(org, team["head"], RiskIn(title="Checkout vendor slips", probability=0.3))
    client.force_login(team["head"].user)
    page = client.get(reverse("search"), {"q": "checkout"}).content.decode()
    assert "Initiatives" in page and "Checkout vendor slips" in page
    client.force_login(team["pm"].user)
    page = client.get(reverse("search"), {"q": "checkout"}).content.decode()
    assert "Checkout vendor slips" not in page and "Initiatives" not in page
