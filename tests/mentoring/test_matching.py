"""The matcher alone: typed in, typed out, no database."""

from __future__ import annotations

from leadshift.mentoring.matching import Candidate, Estimate, Mentee, propose


def mentee(level: float | None = 2.4, line: frozenset[int] = frozenset({1, 2, 3})) -> Mentee:
    return Mentee(1, "stakeholder_management", "Stakeholder Management", level, "360", line)


def cand(pid: int, name: str, value: float, low: float | None = None, high: float | None = None):
    return Candidate(pid, name, Estimate(value, low, high), "May 2026")


def test_the_reason_names_the_360_and_the_mentee_s_level_but_never_the_mentor_s_figures():
    [m] = propose(mentee(), [cand(9, "Ana", 4.3, 3.9, 4.7)])
    assert m.reason == (
        "strong on stakeholder management in their 360 of May 2026, a level or more above you; "
        "you 2.4"
    )
    assert "4.3" not in m.reason and "3.9" not in m.reason


def test_the_mentor_reads_their_own_estimate_but_never_the_mentee_s_level():
    [m] = propose(mentee(), [cand(9, "Ana", 4.3, 3.9, 4.7)])
    assert m.mentor_reason == "your 4.3 [3.9–4.7] on stakeholder management in the 360 of May 2026"
    assert "2.4" not in m.mentor_reason


def test_it_never_proposes_the_mentee_or_anyone_in_their_reporting_line():
    found = propose(mentee(), [cand(1, "Self", 5), cand(2, "Manager", 5), cand(3, "Report", 5)])
    assert found == []


def test_a_mentor_must_be_strong_and_a_whole_level_ahead():
    found = propose(mentee(level=3.0), [cand(8, "Close", 3.8), cand(9, "Ahead", 4.1)])
    assert [m.name for m in found] == ["Ahead"]
    assert propose(mentee(level=None), [cand(9, "Weak", 2.5)]) == []


def test_the_surer_estimate_comes_first_and_only_the_best_three_are_proposed():
    found = propose(
        mentee(),
        [
            cand(5, "Wide", 4.8, 3.4, 5.0),
            cand(6, "Narrow", 4.4, 4.1, 4.7),
            cand(7, "Plain", 4.0),
            cand(8, "Fourth", 3.9, 3.5, 4.3),
        ],
    )
    assert [m.name for m in found] == ["Narrow", "Plain", "Fourth"]


def test_without_a_level_of_their_own_the_reason_says_so():
    [m] = propose(mentee(level=None), [cand(9, "Ana", 4.0)])
    assert m.reason.endswith("; you have no estimate yet")
