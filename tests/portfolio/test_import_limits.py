"""Portfolio imports refuse hostile files at the limit they cross, with the line, and write
nothing."""

from __future__ import annotations

import pytest

from leadshift.files import InputError
from leadshift.portfolio.importing import MAX_CSV_ROWS
from leadshift.portfolio.models import Initiative
from leadshift.portfolio.services import do_import
from tests.test_files import BILLION_LAUGHS

pytestmark = pytest.mark.django_db


def test_a_csv_of_more_rows_than_the_limit_is_refused_at_the_first_row_over_it(portfolio):
    text = "id,value\n" + "".join(f"i{n},10\n" for n in range(MAX_CSV_ROWS + 5))
    before = Initiative.objects.count()
    with pytest.raises(InputError) as caught:
        do_import(portfolio["org"], portfolio["head"], text, "rows.csv")
    assert str(caught.value) == (
        f"rows.csv:{MAX_CSV_ROWS + 2}: more than {MAX_CSV_ROWS:,} rows; "
        "split the file and import each part"
    )
    assert Initiative.objects.count() == before


def test_nested_aliases_in_a_portfolio_file_are_refused_and_nothing_is_written(portfolio):
    before = Initiative.objects.count()
    with pytest.raises(InputError, match=r"^laughs\.yaml:5: aliases"):
        do_import(portfolio["org"], portfolio["head"], BILLION_LAUGHS, "laughs.yaml")
    assert Initiative.objects.count() == before


def test_deeply_nested_json_in_a_portfolio_file_is_a_placed_problem_not_a_500(portfolio):
    with pytest.raises(InputError, match=r"^deep\.json: nested more than 64 levels deep$"):
        do_import(portfolio["org"], portfolio["head"], "[" * 5000 + "]" * 5000, "deep.json")
