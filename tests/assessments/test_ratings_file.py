from __future__ import annotations

import pytest

from leadshift.assessments.ratings_file import read_ratings_csv, result_to_json
from leadshift.assessments.scoring import Rating, fit_model
from leadshift.files import InputError

GOOD = """subject,rater,relationship,capability,score
ana,ana,self,vision,4
ana,ben,peer,vision,3
ana,cai,manager,vision,
ben,ana,peer,vision,2
"""


def _problems(text: str, **kwargs) -> list[tuple[int | None, tuple, str]]:
    with pytest.raises(InputError) as err:
        read_ratings_csv(text, filename="ratings.csv", **kwargs)
    return [(p.line, p.path, p.message) for p in err.value.problems]


def test_it_reads_a_good_file_with_cant_say_as_no_score():
    ratings = read_ratings_csv(GOOD)
    assert ratings[0] == Rating("ana", "ana", "self", "vision", 4)
    assert ratings[2].score is None
    assert len(ratings) == 4


def test_it_reads_a_file_from_a_path(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text(GOOD, encoding="utf-8")
    assert len(read_ratings_csv(path)) == 4
    assert len(read_ratings_csv(str(path))) == 4


def test_it_names_the_line_of_an_unknown_relationship():
    problems = _problems(GOOD + "ben,cai,friend,vision,3\n")
    assert problems[0][0] == 6 and problems[0][1] == ("relationship",)
    assert "friend" in problems[0][2]


def test_it_names_the_line_of_a_score_outside_the_levels():
    problems = _problems(GOOD + "ben,cai,peer,vision,6\n")
    assert problems == [(6, ("score",), "score 6 is outside the levels 1 to 5")]


def test_it_rejects_a_score_that_is_not_a_whole_number():
    assert _problems(GOOD + "ben,cai,peer,vision,3.5\n")[0][:2] == (6, ("score",))


def test_it_rejects_a_duplicate_rating_row_and_names_both_lines():
    problems = _problems(GOOD + "ana,ben,peer,vision,4\n")
    assert problems[0][0] == 6 and "line 3" in problems[0][2]


def test_it_rejects_a_subject_who_rates_themselves_as_a_peer():
    problems = _problems(GOOD + "cai,cai,peer,vision,4\n")
    assert problems[0][0] == 6 and "themselves" in problems[0][2]


def test_it_rejects_a_self_rating_by_someone_else():
    problems = _problems(GOOD + "cai,ben,self,vision,4\n")
    assert problems[0][:2] == (6, ("rater",))


def test_it_rejects_an_unknown_capability_when_the_framework_is_given():
    problems = _problems(GOOD, capabilities={"strategy"})
    assert {p[0] for p in problems} == {2, 3, 4, 5}


def test_it_collects_every_problem_and_returns_nothing_from_a_half_read_file():
    text = GOOD + "ben,cai,friend,vision,3\nben,dee,peer,vision,9\n"
    with pytest.raises(InputError) as err:
        read_ratings_csv(text, filename="ratings.csv")
    assert [p.line for p in err.value.problems] == [6, 7]
    assert "ratings.csv:6: relationship: unknown relationship" in str(err.value)


def test_it_rejects_a_header_without_the_required_columns():
    problems = _problems("subject,rater,score\nana,ben,3\n")
    assert problems[0][0] == 1 and "relationship" in problems[0][2]


def test_the_json_has_the_estimate_interval_raters_and_self_score_on_the_input_scale():
    ratings = [
        Rating(f"s{s}", f"r{r}", "peer", "c", 1 + (s + r) % 5)
        for s in range(6)
        for r in range(4)
        if r != s
    ] + [Rating("s0", "s0", "self", "c", 5)]
    data = result_to_json(fit_model(ratings, min_level=1, max_level=5))
    assert data["method"] == "model"
    first = data["subjects"][0]
    assert set(first) >= {"subject", "capability", "estimate", "low", "high", "n_raters", "self"}
    assert first["self"] == 5
    assert 1 <= first["low"] <= first["estimate"] <= first["high"] <= 5
    assert {"rater", "severity", "n_ratings"} <= set(data["raters"][0])
