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


# --- hostile input: limits that hold before the work grows ----------------------------------

BILLION_LAUGHS = """\
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""


def test_nested_aliases_are_refused_at_the_alias_that_would_expand_too_far() -> None:
    with pytest.raises(InputError, match=r"^rules\.yaml:5: aliases \(\*name\) repeat more than"):
        parse_text(BILLION_LAUGHS, "rules.yaml")


def test_a_few_aliases_are_still_read() -> None:
    doc = parse_text("base: &b {x: 1}\none: *b\ntwo: *b\n", "x.yaml")
    assert doc.data == {"base": {"x": 1}, "one": {"x": 1}, "two": {"x": 1}}


def test_deeply_nested_yaml_is_refused_with_its_line() -> None:
    text = "a:\n" + "".join("  " * (i + 1) + f"k{i}:\n" for i in range(100)) + "  " * 101 + "1\n"
    with pytest.raises(InputError, match=r"^x\.yaml:\d+: nested more than 64 levels deep$"):
        parse_text(text, "x.yaml")
    # libyaml stops flow collections at its own depth first; either way a placed message.
    with pytest.raises(InputError, match=r"^x\.yaml:1: .*(nested more than|nesting depth)"):
        parse_text("[" * 100_000 + "]" * 100_000, "x.yaml")


def test_deeply_nested_json_is_refused_not_a_recursion_error() -> None:
    for depth in (65, 100_000):
        with pytest.raises(InputError, match=r"^x\.json: nested more than 64 levels deep$"):
            parse_text("[" * depth + "]" * depth, "x.json")
    assert parse_text("[" * 64 + "]" * 64, "x.json").data is not None


def test_a_file_over_the_size_limit_is_refused_before_it_is_parsed(tmp_path) -> None:
    from leadshift.files import MAX_BYTES, read_document

    path = tmp_path / "big.yaml"
    path.write_text("a: " + "x" * MAX_BYTES)
    with pytest.raises(InputError, match=r"big\.yaml: the file is larger than 10 MB"):
        read_document(path)


def test_an_integer_too_long_to_convert_is_a_placed_problem() -> None:
    with pytest.raises(InputError, match="not valid JSON"):
        parse_text('{"a": ' + "9" * 5000 + "}", "x.json")


def test_merge_keys_and_second_documents_are_refused_with_the_line() -> None:
    with pytest.raises(InputError, match=r"^x\.yaml:3: merge keys"):
        parse_text("a: &a {x: 1}\nb:\n  <<: *a\n", "x.yaml")
    with pytest.raises(InputError, match=r"^x\.yaml:2: the file holds more than one document"):
        parse_text("a: 1\n---\nb: 2\n", "x.yaml")


def test_lines_are_found_only_when_a_problem_asks_for_them() -> None:
    doc = parse_text("a:\n  - x\n  - y: 1\n", "x.yaml")
    assert doc.lines == {}
    assert doc.problem("bad", ("a", 1, "y")).line == 3
    assert doc.line_of(("a", 0)) == 2
