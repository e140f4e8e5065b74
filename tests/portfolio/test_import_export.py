"""Importing a portfolio from YAML, JSON and CSV, atomically, and exporting it back."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from leadshift.core.errors import Invalid, NotAllowed
from leadshift.files import InputError
from leadshift.portfolio.models import Initiative, MetricSnapshot, Period, Product, TeamCapacity
from leadshift.portfolio.services import do_import, export_document

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "portfolio.yaml"

PRODUCTS = """
products:
  - id: checkout
    name: Checkout
    team: payments
    stage: scale
    snapshots:
      - {date: 2025-03-31, label: 2025-Q1, revenue: 100, market_growth: 0.2, relative_share: 1.4}
      - {date: 2025-06-30, label: 2025-Q2, revenue: 120, market_growth: 0.18, relative_share: 1.5}
"""


@pytest.fixture
def org(team):
    return team["org"]


def example_text() -> str:
    return EXAMPLE.read_text()


@pytest.mark.django_db
def test_the_allocate_example_file_imports_whole(org, team):
    counts = do_import(org, team["head"], example_text(), "portfolio.yaml")
    assert counts["initiatives"] == 9 and counts["teams"] == 3
    assert list(Period.objects.filter(organisation=org).values_list("name", flat=True)) == [
        "Q1",
        "Q2",
        "Q3",
        "Q4",
    ]
    fraud = Initiative.objects.get(organisation=org, key="fraud-scoring")
    assert (fraud.value_low, fraud.value_likely, fraud.value_high) == (60, 90, 150)
    assert [a.key for a in fraud.after.all()] == ["migrate-db"]
    assert TeamCapacity.objects.get(team__name="platform", period__name="Q3").person_weeks == 30


@pytest.mark.django_db
def test_export_then_import_elsewhere_gives_the_same_portfolio(org, team, make_org):
    do_import(org, team["head"], example_text() + PRODUCTS, "portfolio.yaml")
    first = export_document(org, team["head"])
    other = make_org("Globex")
    do_import(other.organisation, other, yaml.safe_dump(first, sort_keys=False), "again.yaml")
    second = export_document(other.organisation, other)
    first.pop("name"), second.pop("name")
    assert first == second
    assert first["products"][0]["snapshots"][1]["revenue"] == 120


@pytest.mark.django_db
def test_a_json_file_imports_like_yaml(org, team):
    data = yaml.safe_load(example_text())
    do_import(org, team["head"], json.dumps(data, indent=1), "p.json")
    assert Initiative.objects.filter(organisation=org).count() == 9


@pytest.mark.django_db
def test_bad_input_names_lines_and_rules_and_writes_nothing(org, team):
    bad = (
        example_text()
        .replace("{id: mobile, capacity: 16}", "{id: mobile, capacity: -4}")
        .replace("effort: {mobile: 6}, horizon: core}", "effort: {design: 6}, horizon: core}")
        .replace(
            "after: [migrate-db], horizon: adjacent, objectives",
            "after: [nope], horizon: adjacent, objectives",
        )
    )
    with pytest.raises(InputError) as err:
        do_import(org, team["head"], bad, "bad.yaml")
    text = err.value.describe()
    assert "bad.yaml:6: teams[2].capacity: must be at least 0, got -4" in text
    assert "unknown team 'design'" in text and "bad.yaml:20" in text
    assert "unknown initiative 'nope'" in text
    assert not Initiative.objects.filter(organisation=org).exists()
    assert not Period.objects.filter(organisation=org).exists()


@pytest.mark.django_db
def test_a_dependency_cycle_is_named_and_refused(org, team):
    bad = example_text().replace(
        "{id: migrate-db, value: 40,", "{id: migrate-db, after: [partner-api], value: 40,"
    )
    with pytest.raises(InputError, match="dependency cycle: migrate-db → partner-api → migrate-db"):
        do_import(org, team["head"], bad, "cycle.yaml")
    assert not Initiative.objects.filter(organisation=org).exists()


@pytest.mark.django_db
def test_a_mandatory_item_that_cannot_fit_is_named(org, team):
    bad = example_text().replace(
        "{id: migrate-db, value: 40, effort: {platform: 15}",
        "{id: migrate-db, value: 40, effort: {platform: 45}",
    )
    with pytest.raises(InputError, match="mandatory 'migrate-db' cannot fit: it needs 45"):
        do_import(org, team["head"], bad, "m.yaml")


@pytest.mark.django_db
def test_initiatives_csv_adds_and_updates_with_line_numbered_errors(org, team):
    do_import(org, team["head"], example_text(), "portfolio.yaml")
    good = (
        "id,name,value,effort:payments,effort:mobile,duration,after,mandatory,horizon,objectives\n"
        "dark-mode,Dark mode,20,,6,1,,no,core,retention\n"
        "wallet,Wallet,30/50/90,4,2/3/5,2,checkout-v2,no,adjacent,revenue:0.5; retention:0.5\n"
    )
    counts = do_import(org, team["head"], good, "initiatives.csv")
    assert counts["initiatives"] == 2
    wallet = Initiative.objects.get(organisation=org, key="wallet")
    assert wallet.value_high == 90 and wallet.duration == 2
    assert wallet.efforts.get(team__name="mobile").high == 5
    assert Initiative.objects.get(organisation=org, key="dark-mode").value_likely == 20
    bad = (
        "id,name,value,effort:payments,after,horizon\n"
        "ok-one,OK,10,2,,core\n"
        "broken,Broken,lots,-1,ghost,far\n"
    )
    with pytest.raises(InputError) as err:
        do_import(org, team["head"], bad, "i.csv")
    text = err.value.describe()
    assert "i.csv:3: value: expected a number, got 'lots'" in text
    assert "i.csv:3: effort:payments: must be at least 0, got -1" in text
    assert "i.csv:3: after" in text and "ghost" in text
    assert "i.csv:3: horizon" in text
    assert not Initiative.objects.filter(organisation=org, key="ok-one").exists()


@pytest.mark.django_db
def test_snapshot_csv_with_an_unknown_product_changes_nothing(org, team):
    do_import(org, team["head"], example_text() + PRODUCTS, "portfolio.yaml")
    text = (
        "product,date,label,revenue,margin\n"
        "checkout,2025-09-30,2025-Q3,130,0.3\n"
        "checkot,2025-09-30,2025-Q3,10,0.1\n"
    )
    with pytest.raises(InputError, match=r"snap\.csv:3: product: unknown product 'checkot'"):
        do_import(org, team["head"], text, "snap.csv")
    assert MetricSnapshot.objects.filter(product__organisation=org).count() == 2
    do_import(org, team["head"], text.rsplit("\n", 2)[0] + "\n", "snap.csv")
    assert MetricSnapshot.objects.filter(product__organisation=org).count() == 3
    assert Product.objects.get(organisation=org, key="checkout").snapshots.last().margin == 0.3


@pytest.mark.django_db
def test_only_leaders_import(org, team):
    with pytest.raises(NotAllowed):
        do_import(org, team["pm"], example_text(), "portfolio.yaml")


@pytest.mark.django_db
def test_a_leader_of_another_organisation_cannot_import_here(org, team, make_org):
    other = make_org("Globex")
    with pytest.raises(NotAllowed):
        do_import(org, other, example_text(), "portfolio.yaml")


@pytest.mark.django_db
def test_an_import_that_clashes_with_what_is_saved_is_rolled_back(org, team):
    do_import(org, team["head"], example_text(), "portfolio.yaml")
    squeezed = (
        "periods: [Q1, Q2, Q3, Q4]\n"
        "teams: [{id: platform, capacity: 10}]\n"
        "initiatives: [{id: tiny, value: 1, effort: {platform: 1}}]\n"
    )
    with pytest.raises(Invalid, match=r"after merging.*migrate-db"):
        do_import(org, team["head"], squeezed, "small.yaml")
    assert TeamCapacity.objects.get(team__name="platform", period__name="Q1").person_weeks == 20
