"""Rules that place a meeting on the five shifts, as data a person can read and change.

How rules combine ("first match per shift"): rules are tried in order; every rule whose
conditions all hold contributes its poles, but only for shifts that no earlier matching rule
has already decided. So specific rules go first (a 1:1 with one of your own PMs is team
leadership) and general ones later (any other 1:1 is influence without authority), while a
meeting can still count on several shifts at once (a board portfolio review is leader-end on
stakeholders, scope and decisions). A rule with ``stop: true`` ends the search (personal blocks).

A rule's poles map ``shift:pole`` to the share of the meeting's hours that counts toward that
pole; for each shift the shares of one rule add up to at most 1, so no shift can count more
hours than the meeting lasted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from leadshift.files import Document, parse_text, pydantic_problems, read_document
from leadshift.timeuse.ics import Meeting

SHIFTS = ("scope", "focus", "decisions", "team", "stakeholders")
POLE_ENDS = ("pm", "leader")
POLES = tuple(f"{shift}:{end}" for shift in SHIFTS for end in POLE_ENDS)


def shift_of(pole: str) -> str:
    return pole.split(":", 1)[0]


@dataclass(frozen=True)
class Context:
    """Who the person is and who is around them, which the rules' conditions refer to."""

    owner: str | None = None
    reports: frozenset[str] = frozenset()  # e-mails of the PMs the person leads
    executives: frozenset[str] = frozenset()  # e-mails of executives and board members
    internal_domains: frozenset[str] = frozenset()  # defaults to the owner's domain

    @classmethod
    def of(
        cls,
        owner: str | None = None,
        reports: list[str] | tuple[str, ...] | frozenset[str] = (),
        executives: list[str] | tuple[str, ...] | frozenset[str] = (),
        internal_domains: list[str] | tuple[str, ...] | frozenset[str] = (),
    ) -> Context:
        owner = owner.strip().lower() if owner else None
        domains = {d.strip().lower().lstrip("@") for d in internal_domains}
        if not domains and owner and "@" in owner:
            domains.add(owner.split("@", 1)[1])
        return cls(
            owner=owner,
            reports=frozenset(e.strip().lower() for e in reports),
            executives=frozenset(e.strip().lower() for e in executives),
            internal_domains=frozenset(domains),
        )

    def others(self, meeting: Meeting) -> set[str]:
        people = set(meeting.attendees)
        if meeting.organiser:
            people.add(meeting.organiser)
        people.discard(self.owner or "")
        return people


# --- the rule file's schema -----------------------------------------------------------------


class _When(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title_words: list[str] = Field(default_factory=list)
    title_regex: str | None = None
    unless_title_words: list[str] = Field(default_factory=list)
    attendees: list[str] = Field(default_factory=list)
    with_reports: bool | None = None
    only_reports: bool | None = None
    with_executives: bool | None = None
    external: bool | None = None
    organiser_is_owner: bool | None = None
    recurring: bool | None = None
    min_size: int | None = Field(default=None, ge=1)
    max_size: int | None = Field(default=None, ge=1)

    @field_validator("title_regex")
    @classmethod
    def _compiles(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                re.compile(value)
            except re.error as exc:
                raise ValueError(f"not a valid regular expression: {exc}") from exc
        return value


class _Rule(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1)
    description: str = Field(min_length=1)
    when: _When = Field(default_factory=_When)
    poles: dict[str, float] = Field(default_factory=dict)
    stop: bool = False

    @field_validator("poles")
    @classmethod
    def _poles_are_known(cls, value: dict[str, float]) -> dict[str, float]:
        per_shift: dict[str, float] = {}
        for pole, share in value.items():
            if pole not in POLES:
                raise ValueError(f"unknown pole {pole!r}; poles are {', '.join(POLES)}")
            if not 0 < share <= 1:
                raise ValueError(f"the share of {pole} must be above 0 and at most 1")
            per_shift[shift_of(pole)] = per_shift.get(shift_of(pole), 0.0) + share
        for shift, total in per_shift.items():
            if total > 1 + 1e-9:
                raise ValueError(f"the shares on {shift} add up to {total:g}, more than 1")
        return value


class _RuleFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: int = 1
    combine: str = Field(default="first-match-per-shift", pattern="^first-match-per-shift$")
    rules: list[_Rule]


# --- compiled rules -------------------------------------------------------------------------


def _words_pattern(words: list[str]) -> re.Pattern[str] | None:
    if not words:
        return None
    alternatives = "|".join(re.escape(w.strip()) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


@dataclass(frozen=True)
class Rule:
    id: str
    description: str
    poles: dict[str, float]
    stop: bool = False
    when: dict[str, Any] = field(default_factory=dict)  # the conditions as written, for display
    _title: re.Pattern[str] | None = None
    _unless: re.Pattern[str] | None = None
    _regex: re.Pattern[str] | None = None

    def matches(self, meeting: Meeting, context: Context) -> bool:
        w = self.when
        if self._title is not None and not self._title.search(meeting.title):
            return False
        if self._regex is not None and not self._regex.search(meeting.title):
            return False
        if self._unless is not None and self._unless.search(meeting.title):
            return False
        if w.get("min_size") is not None and meeting.attendee_count < w["min_size"]:
            return False
        if w.get("max_size") is not None and meeting.attendee_count > w["max_size"]:
            return False
        if w.get("recurring") is not None and meeting.recurring != w["recurring"]:
            return False
        if w.get("organiser_is_owner") is not None:
            is_owner = meeting.organiser is None or meeting.organiser == context.owner
            if is_owner != w["organiser_is_owner"]:
                return False
        needs_people = any(
            w.get(k) is not None
            for k in ("attendees", "with_reports", "only_reports", "with_executives", "external")
        )
        if not needs_people:
            return True
        others = context.others(meeting)
        if w.get("attendees") and not any(_person_matches(p, w["attendees"]) for p in others):
            return False
        if (
            w.get("with_reports") is not None
            and bool(others & context.reports) != w["with_reports"]
        ):
            return False
        if w.get("only_reports") is not None:
            only = bool(others) and others <= context.reports
            if only != w["only_reports"]:
                return False
        if (
            w.get("with_executives") is not None
            and bool(others & context.executives) != w["with_executives"]
        ):
            return False
        if w.get("external") is not None:
            outside = bool(context.internal_domains) and any(
                p.rsplit("@", 1)[-1] not in context.internal_domains for p in others
            )
            if outside != w["external"]:
                return False
        return True


def _person_matches(email: str, patterns: list[str]) -> bool:
    for pattern in patterns:
        pattern = pattern.strip().lower()
        if pattern.startswith("@"):
            if email.endswith(pattern):
                return True
        elif email == pattern:
            return True
    return False


@dataclass(frozen=True)
class RuleSet:
    rules: tuple[Rule, ...]
    source: str | None = None

    def describe(self) -> list[dict[str, Any]]:
        """The rules as a person reads them: id, description, conditions and poles."""
        return [
            {
                "id": r.id,
                "description": r.description,
                "when": r.when,
                "poles": r.poles,
                "stop": r.stop,
            }
            for r in self.rules
        ]


def _compile(rule: _Rule) -> Rule:
    when = rule.when.model_dump(exclude_none=True, exclude_defaults=True)
    return Rule(
        id=rule.id,
        description=rule.description.strip(),
        poles=dict(rule.poles),
        stop=rule.stop,
        when=when,
        _title=_words_pattern(rule.when.title_words),
        _unless=_words_pattern(rule.when.unless_title_words),
        _regex=re.compile(rule.when.title_regex, re.IGNORECASE) if rule.when.title_regex else None,
    )


def rules_from_document(doc: Document) -> RuleSet:
    try:
        parsed = _RuleFile.model_validate(doc.data)
    except ValidationError as exc:
        raise doc.error(pydantic_problems(doc, exc)) from exc
    seen: dict[str, int] = {}
    problems = []
    for index, rule in enumerate(parsed.rules):
        if rule.id in seen:
            problems.append(
                doc.problem(f"rule id {rule.id!r} is used twice", ("rules", index, "id"))
            )
        seen[rule.id] = index
    if problems:
        raise doc.error(problems)
    return RuleSet(rules=tuple(_compile(r) for r in parsed.rules), source=doc.filename)


def load_rules(path: str | Path | None = None) -> RuleSet:
    """The person's rule file, or the default rules shipped with LeadShift."""
    if path is not None:
        return rules_from_document(read_document(path))
    text = resources.files("leadshift.timeuse").joinpath("default_rules.yaml").read_text("utf-8")
    return rules_from_document(parse_text(text, "default_rules.yaml"))


def rules_from_text(text: str, filename: str = "rules.yaml") -> RuleSet:
    return rules_from_document(parse_text(text, filename))


# --- classifying ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Classification:
    """Where one meeting's hours go: share of the meeting per pole, and why."""

    poles: dict[str, float]
    rule_id: str | None  # the first rule that decided anything
    rule_ids: tuple[str, ...] = ()
    reason: str = ""

    @property
    def classified(self) -> bool:
        return bool(self.poles)


UNCLASSIFIED_REASON = "no rule matched"


def classify(meeting: Meeting, rules: RuleSet, context: Context) -> Classification:
    poles: dict[str, float] = {}
    decided: set[str] = set()
    used: list[Rule] = []
    for rule in rules.rules:
        if not rule.matches(meeting, context):
            continue
        fresh = {p: s for p, s in rule.poles.items() if shift_of(p) not in decided}
        if fresh or rule.stop:
            used.append(rule)
        poles.update(fresh)
        decided.update(shift_of(p) for p in rule.poles)
        if rule.stop or len(decided) == len(SHIFTS):
            break
    if not used:
        return Classification(poles={}, rule_id=None, rule_ids=(), reason=UNCLASSIFIED_REASON)
    reason = "; ".join(f"{r.id}: {r.description}" for r in used)
    return Classification(
        poles=poles, rule_id=used[0].id, rule_ids=tuple(r.id for r in used), reason=reason
    )


def classify_all(meetings: list[Meeting], rules: RuleSet, context: Context) -> list[Classification]:
    """Classify many meetings; occurrences of one series share their answer."""
    cache: dict[tuple[Any, ...], Classification] = {}
    out = []
    for meeting in meetings:
        key = (
            meeting.title,
            meeting.attendees,
            meeting.organiser,
            meeting.recurring,
            meeting.attendee_count,
        )
        found = cache.get(key)
        if found is None:
            found = cache[key] = classify(meeting, rules, context)
        out.append(found)
    return out
