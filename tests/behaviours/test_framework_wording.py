"""Every behaviour of the default framework is one a rater can check, before the role."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from leadshift.frameworks.schema import default_framework, load_framework_file

FW = default_framework()
OLD = Path(__file__).resolve().parents[1] / "frameworks" / "default-1.0.0.yaml"

# Words that leave a rater guessing how often or how fast is enough.
VAGUE = [
    "in most cases",
    "promptly",
    "regularly",
    "regular",
    "when asked",
    "when someone",
    "as needed",
    "a few",
    "rarely",
    "often",
    "usually",
    "significant",
    "where possible",
]
# Phrases only someone who already holds a leader's title can show; the seed says to build
# leadership before the role, so a behaviour says what someone does before holding it.
TITLE_HELD = [
    "manages several",
    "manages product managers",
    "sits on the executive team",
    "leads managers of",
    "owns the company-wide",
    "owns the product career ladder",
    "who report to them",
    "their reports",
    "their team's engagement",
]


def _behaviours(fw):
    for c in fw.capabilities:
        for key, _, b in c.behaviours():
            yield key, b.text


def _hits(fw, phrases):
    return [
        (key, phrase)
        for key, text in _behaviours(fw)
        for phrase in phrases
        if re.search(rf"\b{re.escape(phrase)}\b", text, re.IGNORECASE)
    ]


def test_no_behaviour_uses_a_vague_word() -> None:
    assert _hits(FW, VAGUE) == []


def test_no_behaviour_needs_the_title_already_held() -> None:
    assert _hits(FW, TITLE_HELD) == []


def test_the_scan_finds_what_the_previous_version_said() -> None:
    old = load_framework_file(OLD)
    assert old.version == "1.0.0"
    assert ("leadership_team_development.2.3", "in most cases") in _hits(old, VAGUE)
    assert ("stakeholder_management.5.2", "sits on the executive team") in _hits(old, TITLE_HELD)


def test_the_rewritten_framework_is_a_new_version() -> None:
    assert FW.version == "1.1.0"


@pytest.mark.parametrize("cap", [c.id for c in FW.capabilities])
def test_every_capability_keeps_its_levels_and_checklists_of_three_or_four(cap) -> None:
    for lv in FW.capability(cap).levels:
        assert 3 <= len(lv.behaviours) <= 4
