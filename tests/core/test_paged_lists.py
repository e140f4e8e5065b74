"""The initiatives list at a size that needs pages: searched, filtered, sorted and cut to its
page in the database, with the pager keeping the query, and the CSV holding every match."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.urls import reverse

from leadshift.portfolio.models import Initiative
from tests.scale import orgs

pytestmark = pytest.mark.django_db


@pytest.fixture
def leader(client, team):
    # 130 initiatives item-0..item-129 over 13 squads, value 10 + i % 50, effort 2 + i % 5;
    # mandatory where the key ends in 0, 3, 6 or 9, so the list has a filter with two values.
    orgs.initiatives(team["org"], team["head"], 130)
    Initiative.objects.filter(organisation=team["org"], key__regex=r"[0369]$").update(
        mandatory=True
    )
    client.force_login(team["head"].user)
    return client


def keys_on(page: str) -> list[str]:
    return re.findall(r"<code>(item-\d+)</code>", page)


def test_the_first_page_shows_fifty_of_all_and_links_the_next(leader):
    page = leader.get(reverse("portfolio_initiatives")).content.decode()
    assert len(keys_on(page)) == 50
    assert "Showing 1–50 of 130" in page
    assert '<nav class="pager" aria-label="Initiatives pages">' in page
    assert 'href="?page=2" aria-current="page"' not in page
    assert 'href="?" aria-current="page"' in page and 'href="?page=2" rel="next"' in page


def test_page_two_shows_the_next_rows_with_the_search_filter_and_sort_kept(leader):
    query = {"q": "squad", "f_mandatory": "no", "sort": "-value"}
    first = leader.get(reverse("portfolio_initiatives"), query).content.decode()
    second = leader.get(reverse("portfolio_initiatives"), {**query, "page": "2"}).content.decode()
    wanted = sorted((i for i in range(130) if i % 10 not in (0, 3, 6, 9)), key=lambda i: -(i % 50))
    assert keys_on(first) == [f"item-{i}" for i in wanted[:50]]
    assert keys_on(second) == [f"item-{i}" for i in wanted[50:]]
    assert "Showing 51–78 of 78 (130 in all)" in second
    previous = re.search(r'href="([^"]*)" rel="prev"', second)
    assert previous and previous.group(1).replace("&amp;", "&") == (
        "?q=squad&f_mandatory=no&sort=-value"
    )


def test_the_csv_holds_every_match_however_many_pages(leader):
    response = leader.get(reverse("portfolio_initiatives"), {"format": "csv", "page": "2"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:2] == ["Initiative", "Key"] and len(rows) == 1 + 130


def test_sorting_by_effort_sums_each_initiatives_teams_in_the_database(leader):
    page = leader.get(reverse("portfolio_initiatives"), {"sort": "-effort"}).content.decode()
    # Effort 2 + i % 5: the largest, 6, belongs to items 4, 9, 14...; ties fall back to the id.
    assert keys_on(page)[:3] == ["item-4", "item-9", "item-14"]
