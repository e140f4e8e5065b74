"""What concerns a stakeholder: real products, initiatives and decisions of the organisation,
chosen on the form, shown on the map and the detail page, refused from anywhere else."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.urls import reverse

from leadshift.decisions.services import DecisionIn, do_create_decision
from leadshift.people.models import Team
from leadshift.portfolio.models import Initiative, Product
from leadshift.stakeholders.models import Stakeholder
from leadshift.stakeholders.services import do_add_stakeholder

pytestmark = pytest.mark.django_db


@pytest.fixture
def things(team, make_org):
    org = team["org"]
    payments = Team.objects.create(organisation=org, name="Payments")
    search = Team.objects.create(organisation=org, name="Search")
    pm = team["pm"]
    pm.team = payments
    pm.save()
    checkout = Product.objects.create(
        organisation=org, key="checkout", name="Checkout", team=payments
    )
    finder = Product.objects.create(organisation=org, key="finder", name="Finder", team=search)
    wallets = Initiative.objects.create(
        organisation=org, key="wallets", name="Wallets", product=checkout, value_likely=50
    )
    reindex = Initiative.objects.create(
        organisation=org, key="reindex", name="Reindex", product=finder, value_likely=30
    )
    day = dt.date(2026, 1, 5)
    mine = do_create_decision(pm, DecisionIn(question="Pilot the pricing page?", decided_on=day))
    heads = do_create_decision(
        team["head"], DecisionIn(question="Reorganise the squads?", decided_on=day)
    )
    globex = make_org("Globex").organisation
    foreign = Product.objects.create(organisation=globex, key="anvil", name="Globex Anvil")
    return {
        "checkout": checkout,
        "finder": finder,
        "wallets": wallets,
        "reindex": reindex,
        "mine": mine,
        "heads": heads,
        "foreign": foreign,
    }


FORM = {"name": "Dana CFO", "influence": "5", "interest": "3", "stance": "sceptic"}


def test_a_pm_links_a_stakeholder_to_a_product_an_initiative_and_a_decision(client, team, things):
    pm = team["pm"]
    client.force_login(pm.user)
    url = reverse("stakeholder_map", args=[pm.id])
    form = client.get(url).content.decode()
    # The PM may choose their team's product and its initiatives, and their own decisions.
    assert "Checkout" in form and "Wallets" in form and "Pilot the pricing page?" in form
    assert "Finder" not in form and "Reindex" not in form and "Reorganise" not in form
    r = client.post(
        url,
        {
            **FORM,
            "product_ids": [things["checkout"].id],
            "initiative_ids": [things["wallets"].id],
            "decision_ids": [things["mine"].id],
            "concerns": "annual plan",
        },
    )
    assert r.status_code == 302
    s = Stakeholder.objects.get()
    assert list(s.products.all()) == [things["checkout"]]
    assert list(s.initiatives.all()) == [things["wallets"]]
    assert list(s.decisions.all()) == [things["mine"]] and s.concern_tags == ["annual plan"]
    page = client.get(url).content.decode()
    assert "Concerned with" in page and "Wallets" in page and "Pilot the pricing page?" in page
    detail = client.get(reverse("stakeholder_detail", args=[s.id])).content.decode()
    assert "What concerns them" in detail and "Checkout" in detail
    assert reverse("decision_detail", args=[things["mine"].id]) in detail
    # Saving the edit form keeps the links chosen there, and clears those unchosen.
    r = client.post(
        reverse("stakeholder_detail", args=[s.id]),
        {**FORM, "product_ids": [things["checkout"].id]},
    )
    assert r.status_code == 302
    assert list(s.products.all()) == [things["checkout"]] and not s.decisions.exists()


@pytest.mark.parametrize(
    "field, key, words",
    [
        ("product_ids", "foreign", "products: choose from those of your organisation (Acme)"),
        ("product_ids", "finder", "products: choose from those of your organisation"),
        ("initiative_ids", "reindex", "initiatives: choose from those"),
        ("decision_ids", "heads", "decisions: choose from those"),
    ],
)
def test_what_the_owner_may_not_see_or_another_organisation_holds_is_refused(
    client, team, things, field, key, words
):
    pm = team["pm"]
    client.force_login(pm.user)
    r = client.post(
        reverse("stakeholder_map", args=[pm.id]),
        {**FORM, field: [things[key].id]},
    )
    page = r.content.decode()
    assert r.status_code == 400 and words in page
    assert 'value="Dana CFO"' in page  # what was typed is kept
    assert not Stakeholder.objects.exists()
    r = client.post(
        f"/api/v1/people/{pm.id}/stakeholders",
        data=json.dumps({"name": "Dana", field: [things[key].id]}),
        content_type="application/json",
    )
    assert r.status_code == 400 and r.json()["field"] == field
    assert words in r.json()["detail"]


def test_a_leader_links_anything_of_the_organisation_and_the_api_shows_it(client, team, things):
    head = team["head"]
    client.force_login(head.user)
    r = client.post(
        f"/api/v1/people/{head.id}/stakeholders",
        data=json.dumps(
            {
                "name": "Board chair",
                "product_ids": [things["finder"].id, things["checkout"].id],
                "initiative_ids": [things["reindex"].id],
                "decision_ids": [things["heads"].id, things["mine"].id],
            }
        ),
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    got = r.json()
    assert {p["name"] for p in got["products"]} == {"Finder", "Checkout"}
    assert [i["name"] for i in got["initiatives"]] == ["Reindex"]
    assert {d["question"] for d in got["decisions"]} == {
        "Reorganise the squads?",
        "Pilot the pricing page?",
    }
    sid = got["id"]
    r = client.put(
        f"/api/v1/stakeholders/{sid}",
        data=json.dumps({"name": "Board chair", "product_ids": [things["foreign"].id]}),
        content_type="application/json",
    )
    assert r.status_code == 400 and r.json()["field"] == "product_ids"
    assert Stakeholder.objects.get(pk=sid).products.count() == 2


def test_linking_refuses_a_made_up_number(team, things):
    from leadshift.core.errors import Invalid

    with pytest.raises(Invalid) as err:
        do_add_stakeholder(team["pm"], team["pm"], {"name": "X", "initiative_ids": ["abc"]})
    assert err.value.field == "initiative_ids"


def test_a_leader_follows_a_linked_initiative_to_its_page(client, team, things):
    head = team["head"]
    s = Stakeholder.objects.create(owner=head, name="Board chair")
    s.initiatives.add(things["reindex"])
    client.force_login(head.user)
    html = client.get(f"/stakeholders/{s.id}/").content.decode()
    assert f'href="/portfolio/initiatives/{things["reindex"].id}/">Reindex</a>' in html
