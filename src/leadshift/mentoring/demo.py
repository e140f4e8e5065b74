"""The demo's mentoring: two pairs across teams, each with its 1:1 series, and Sam's open
request with its proposals; a few people have turned the weekly digest off."""

from __future__ import annotations

from leadshift.coaching.perspectives import estimate_levels
from leadshift.coaching.services import do_add_item, do_add_note
from leadshift.core.errors import LeadShiftError
from leadshift.mentoring.services import do_answer, do_ask, do_request_mentor
from leadshift.nudges.services import do_set_digest
from leadshift.people.models import Person

SAMS_CAPABILITY = "visionary_thinking"
FIRST_NOTE = "Agreed to meet monthly; first, how I learned this: start small, show drafts early."


def _weakest(person: Person) -> str | None:
    levels = estimate_levels(person)
    return min(levels, key=lambda c: (levels[c], c)) if levels else None


def _pair(mentee: Person, capability: str) -> bool:
    try:
        request = do_request_mentor(mentee, capability, note="Someone who has done it before.")
    except LeadShiftError:
        return False
    proposals = list(request.proposals.select_related("mentor"))
    # Across teams: prefer a mentor from another team.
    chosen = next((p for p in proposals if p.mentor.team_id != mentee.team_id), proposals[0])
    do_ask(chosen, mentee)
    chosen = do_answer(chosen, chosen.mentor, accept=True)
    series = chosen.series
    meeting = series.upcoming() if series else None
    if meeting is not None:
        do_add_note(meeting, chosen.mentor, FIRST_NOTE, private=False)
        do_add_item(meeting, mentee, "Walk through my draft before I present it.")
    return True


def load_mentoring(people: list[Person], sam: Person) -> int:
    """Returns how many pairs were made."""
    pairs = 0
    for mentee in people:
        if pairs == 2:
            break
        if mentee.id == sam.id or mentee.reports.exists():
            continue
        weakest = _weakest(mentee)
        if weakest and _pair(mentee, weakest):
            pairs += 1
    do_request_mentor(sam, SAMS_CAPABILITY, note="I want to tell a two-year product story.")
    for person in people[-3:]:
        do_set_digest(person, weekly=False)
    do_set_digest(sam, weekly=True)
    return pairs
