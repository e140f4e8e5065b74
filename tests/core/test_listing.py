"""The list engine: search, filters, sort and the CSV cells, as plain data."""

from __future__ import annotations

import datetime as dt

from leadshift.core.listing import Column, apply, csv_rows, safe_cell

ROWS = [
    {"name": "Ana", "team": "Growth", "score": 3, "due": dt.date(2026, 3, 1)},
    {"name": "Ben", "team": "Core", "score": None, "due": dt.date(2026, 1, 1)},
    {"name": "Cleo Ana", "team": "Growth", "score": 5, "due": None},
]
COLUMNS = [
    Column("name", "Name", lambda r: r["name"], search=True),
    Column("team", "Team", lambda r: r["team"], search=True, facet=True),
    Column("score", "Score", lambda r: r["score"]),
    Column("due", "Due", lambda r: r["due"]),
]


def names(listing):
    return [r["name"] for r in listing.rows]


def test_every_word_of_the_search_must_match_some_searched_column():
    assert names(apply(ROWS, COLUMNS, {"q": "ana growth"})) == ["Ana", "Cleo Ana"]
    assert names(apply(ROWS, COLUMNS, {"q": "ana core"})) == []


def test_a_filter_keeps_one_value_and_its_options_count_within_the_other_filters():
    listing = apply(ROWS, COLUMNS, {"f_team": "Growth", "q": "cleo"})
    assert names(listing) == ["Cleo Ana"]
    (facet,) = listing.facets
    assert {(o.value, o.count, o.selected) for o in facet.options} == {("Growth", 1, True)}
    assert listing.filtered and listing.total == 3


def test_sorting_puts_empty_values_last_in_either_direction():
    assert names(apply(ROWS, COLUMNS, {"sort": "score"})) == ["Ana", "Cleo Ana", "Ben"]
    assert names(apply(ROWS, COLUMNS, {"sort": "-score"})) == ["Cleo Ana", "Ana", "Ben"]
    assert names(apply(ROWS, COLUMNS, {"sort": "-due"})) == ["Ana", "Ben", "Cleo Ana"]


def test_an_unknown_sort_keeps_the_pages_own_order_and_headers_flip_direction():
    listing = apply(ROWS, COLUMNS, {"sort": "password"})
    assert listing.sort == "" and names(listing) == ["Ana", "Ben", "Cleo Ana"]
    sorted_by_name = apply(ROWS, COLUMNS, {"sort": "name", "q": "a"})
    assert sorted_by_name.headers["name"].aria_sort == "ascending"
    assert "sort=-name" in sorted_by_name.headers["name"].url
    assert "q=a" in sorted_by_name.headers["name"].url


def test_a_cell_that_a_spreadsheet_would_run_is_written_as_text():
    assert safe_cell('=HYPERLINK("http://evil.example","x")').startswith("'=")
    assert safe_cell("+1 555") == "'+1 555"
    assert safe_cell("@SUM(A1)") == "'@SUM(A1)"
    assert safe_cell("-2") == "'-2"
    assert safe_cell(-2) == "-2"  # a number stays a number
    assert safe_cell("Plain words") == "Plain words"


def test_the_csv_has_a_header_and_the_rows_shown():
    listing = apply(ROWS, COLUMNS, {"f_team": "Core"})
    assert csv_rows(listing) == [
        ["Name", "Team", "Score", "Due"],
        ["Ben", "Core", "", "2026-01-01"],
    ]


MANY = [{"name": f"P{i:03}", "team": "Growth" if i % 2 else "Core"} for i in range(120)]
TEAM_COLUMNS = [
    Column("name", "Name", lambda r: r["name"], search=True),
    Column("team", "Team", lambda r: r["team"], facet=True),
]


def test_a_long_list_shows_one_page_and_says_which_rows_of_how_many():
    first = apply(MANY, TEAM_COLUMNS, {}, page_size=50)
    assert names(first) == [f"P{i:03}" for i in range(50)]
    assert first.count_text == "Showing 1–50 of 120"
    assert first.pager.previous == "" and first.pager.next == "?page=2"
    assert [link.number for link in first.pager.links if link] == [1, 2, 3]


def test_the_next_page_keeps_the_search_filter_and_sort():
    params = {"f_team": "Growth", "sort": "-name", "q": "p", "page": "2"}
    second = apply(MANY, TEAM_COLUMNS, params, page_size=25)
    growth = sorted((r["name"] for r in MANY if r["team"] == "Growth"), reverse=True)
    assert names(second) == growth[25:50]
    assert second.count_text == "Showing 26–50 of 60 (120 in all)"
    for url in (second.pager.previous, second.pager.next, second.pager.links[0].url):
        assert "f_team=Growth" in url and "sort=-name" in url and "q=p" in url
    assert second.pager.previous.endswith("q=p") and "page=3" in second.pager.next
    # A new sort or search starts again on the first page.
    assert "page" not in second.headers["name"].url and "page" not in second.csv_query


def test_a_page_past_the_end_shows_the_last_and_far_pages_are_left_out():
    last = apply(MANY, TEAM_COLUMNS, {"page": "99"}, page_size=10)
    assert last.pager.number == 12 and names(last) == [f"P{i:03}" for i in range(110, 120)]
    assert [link and link.number for link in last.pager.links] == [1, None, 10, 11, 12]
    assert apply(MANY, TEAM_COLUMNS, {"page": "x"}, page_size=10).pager.number == 1


def test_the_csv_has_every_matching_row_not_only_the_page():
    listing = apply(MANY, TEAM_COLUMNS, {"f_team": "Core", "page": "2"}, page_size=10)
    assert len(listing.rows) == 10 and len(csv_rows(listing)) == 1 + 60
