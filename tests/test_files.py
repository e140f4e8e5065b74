"""Reading YAML and JSON input files with their lines."""

from __future__ import annotations

import pytest

from leadshift.files import InputError, parse_text


def test_json_numbers_in_exponent_form_are_numbers() -> None:
    # YAML 1.1 reads 1e5 as a string; JSON says it is a number.
    assert parse_text('{"a": 1e5, "b": 2E-1}', "x.json").data == {"a": 100000.0, "b": 0.2}


def test_json_indented_with_tabs_is_read_with_its_lines() -> None:
    doc = parse_text('{\n\t"a": [\n\t\t1,\n\t\t2\n\t]\n}', "x.json")
    assert doc.data == {"a": [1, 2]}
    assert doc.line_of(("a", 1)) == 4


def test_a_duplicate_json_key_is_an_error_on_its_line() -> None:
    with pytest.raises(InputError, match=r"^x\.json:3: duplicate key 'a'$"):
        parse_text('{\n"a": 1,\n"a": 2\n}', "x.json")


def test_invalid_json_names_the_line() -> None:
    with pytest.raises(InputError, match=r"^x\.json:2: not valid JSON"):
        parse_text('{"a": 1,\n}', "x.json")


def test_yaml_lines_point_at_each_value() -> None:
    doc = parse_text("a:\n  - x\n  - y: 1\n", "x.yaml")
    assert doc.line_of(("a", 1, "y")) == 3
    assert doc.line_of(("a", 1, "missing")) == 3


def test_an_empty_file_is_reported() -> None:
    with pytest.raises(InputError, match="the file is empty"):
        parse_text("", "x.yaml")
