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
