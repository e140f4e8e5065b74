"""The framework schema: shifts, capabilities with levels, preparation tracks, target roles.

A framework is data. This module validates it and gives typed access; it imports no Django,
so the engines, the CLI and the tests can use it directly.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Annotated

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from leadshift.files import (
    Document,
    PathPart,
    Problem,
    format_path,
    parse_text,
    pydantic_problems,
    read_document,
)

SCHEMA_ID = "leadshift/framework@1"
PathTuple = tuple[PathPart, ...]
Slug = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=60)]
Text = Annotated[str, Field(min_length=1)]


class ReferenceProblems(ValueError):
    """Problems that need the whole framework to see, each with its path."""

    def __init__(self, problems: list[tuple[PathTuple, str]]):
        self.problems = problems
        super().__init__("; ".join(f"{format_path(p)}: {m}" for p, m in problems))


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Option(_Model):
    label: Text
    position: Annotated[int, Field(ge=0, le=100)]
    """Where this answer sits on the shift: 0 is the PM end, 100 the leader end."""


class Question(_Model):
    id: Slug
    text: Text
    help: str = ""
    options: Annotated[list[Option], Field(min_length=2)]


class Shift(_Model):
    id: Slug
    name: Text
    pm_pole: Text
    leader_pole: Text
    description: Text
    questions: Annotated[list[Question], Field(min_length=1)]

    def question(self, question_id: str) -> Question:
        for q in self.questions:
            if q.id == question_id:
                return q
        raise KeyError(question_id)


class Behaviour(_Model):
    """One observable behaviour of a level: a box a rater ticks when they have seen it."""

    text: Text
    evidence: Slug | None = None
    """The name of an evidence query (see ``leadshift.behaviours.evidence``) whose records
    show the behaviour, where LeadShift holds such records."""

    def __str__(self) -> str:
        return self.text


class Level(_Model):
    level: Annotated[int, Field(ge=1)]
    name: Text
    summary: Text
    behaviours: Annotated[list[Behaviour], Field(min_length=2)]

    @field_validator("behaviours", mode="before")
    @classmethod
    def _plain_text(cls, value: object) -> object:
        # A behaviour is plain text, or a mapping when it names its evidence.
        if isinstance(value, list):
            return [{"text": v} if isinstance(v, str) else v for v in value]
        return value


class Capability(_Model):
    id: Slug
    name: Text
    description: Text
    levels: Annotated[list[Level], Field(min_length=2)]

    # Read for every rating of every person a team list shows: worked out once per framework.
    @cached_property
    def min_level(self) -> int:
        return self.levels[0].level

    @cached_property
    def max_level(self) -> int:
        return max(lv.level for lv in self.levels)

    def level(self, level: int) -> Level:
        for lv in self.levels:
            if lv.level == level:
                return lv
        raise KeyError(level)

    def behaviour_keys(self, level: int) -> list[str]:
        """The keys raters tick: ``capability.level.n``, stable within a framework version."""
        return [f"{self.id}.{level}.{n}" for n in range(1, len(self.level(level).behaviours) + 1)]

    def behaviours(self) -> Iterator[tuple[str, Level, Behaviour]]:
        for lv in self.levels:
            for key, b in zip(self.behaviour_keys(lv.level), lv.behaviours, strict=True):
                yield key, lv, b


class Action(_Model):
    id: Slug
    title: Text
    description: Text
    capabilities: Annotated[list[Slug], Field(min_length=1)]
    """The capabilities this action grows, the main one first."""
    evidence: Text
    """What doing the action leaves behind that someone else could look at."""
    effort_days: Annotated[int, Field(ge=1, le=90)] = 5
    done_when: Slug | None = None
    """An evidence query whose records, once they appear in the plan's period, show the
    action done: the plan ticks it itself."""


class Track(_Model):
    id: Slug
    name: Text
    description: Text
    actions: Annotated[list[Action], Field(min_length=1)]


class Role(_Model):
    id: Slug
    name: Text
    description: Text
    expected: dict[Slug, int]
    """The level of each capability the role expects."""
    shifts: dict[Slug, Annotated[int, Field(ge=0, le=100)]] = {}
    """Where on each shift (0 to 100) the role's work sits, for the shifts it sets."""


class Framework(_Model):
    schema_: str = Field(alias="schema")
    key: Slug
    name: Text
    version: Annotated[str, Field(pattern=r"^\d+\.\d+(\.\d+)?$")]
    description: Text
    shifts: Annotated[list[Shift], Field(min_length=1)]
    capabilities: Annotated[list[Capability], Field(min_length=1)]
    tracks: Annotated[list[Track], Field(min_length=1)]
    roles: Annotated[list[Role], Field(min_length=1)]

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @model_validator(mode="after")
    def _check_references(self) -> Framework:
        problems = list(self._reference_problems())
        if problems:
            # Pydantic keeps the raised exception in the error's context, so
            # `framework_from_document` can place each problem at its own path.
            raise ReferenceProblems(problems)
        return self

    def _reference_problems(self) -> Iterator[tuple[PathTuple, str]]:
        if self.schema_ != SCHEMA_ID:
            yield ("schema",), f"must be {SCHEMA_ID!r}"
        yield from _duplicates("shifts", [s.id for s in self.shifts])
        yield from _duplicates("capabilities", [c.id for c in self.capabilities])
        yield from _duplicates("tracks", [t.id for t in self.tracks])
        yield from _duplicates("roles", [r.id for r in self.roles])
        seen: set[str] = set()
        for ti, t in enumerate(self.tracks):
            for ai, a in enumerate(t.actions):
                if a.id in seen:
                    yield (
                        ("tracks", ti, "actions", ai, "id"),
                        f"the action id {a.id!r} is used twice",
                    )
                seen.add(a.id)
        for si, s in enumerate(self.shifts):
            yield from _duplicates("questions", [q.id for q in s.questions], ("shifts", si))
        cap_ids = {c.id: c for c in self.capabilities}
        shift_ids = {s.id for s in self.shifts}
        for ci, c in enumerate(self.capabilities):
            numbers = [lv.level for lv in c.levels]
            if numbers != list(range(1, len(numbers) + 1)):
                yield ("capabilities", ci, "levels"), "levels must be numbered 1, 2, 3, … in order"
        for ti, t in enumerate(self.tracks):
            for ai, a in enumerate(t.actions):
                for k, cid in enumerate(a.capabilities):
                    where: PathTuple = ("tracks", ti, "actions", ai, "capabilities", k)
                    if cid not in cap_ids:
                        yield where, f"unknown capability {cid!r}"
                    elif cid in a.capabilities[:k]:
                        yield where, f"the capability {cid!r} is listed twice"
        for ri, r in enumerate(self.roles):
            for cid, lvl in r.expected.items():
                if cid not in cap_ids:
                    yield ("roles", ri, "expected", cid), f"unknown capability {cid!r}"
                elif not 1 <= lvl <= cap_ids[cid].max_level:
                    top = cap_ids[cid].max_level
                    yield ("roles", ri, "expected", cid), f"level {lvl} is outside 1 to {top}"
            for cid in cap_ids:
                if cid not in r.expected:
                    yield ("roles", ri, "expected"), f"no expected level for capability {cid!r}"
            for sid in r.shifts:
                if sid not in shift_ids:
                    yield ("roles", ri, "shifts", sid), f"unknown shift {sid!r}"

    # Lookups -----------------------------------------------------------------

    @cached_property
    def _shifts(self) -> dict[str, Shift]:
        return {s.id: s for s in self.shifts}

    @cached_property
    def _capabilities(self) -> dict[str, Capability]:
        return {c.id: c for c in self.capabilities}

    @cached_property
    def _roles(self) -> dict[str, Role]:
        return {r.id: r for r in self.roles}

    @cached_property
    def _actions(self) -> dict[str, tuple[Track, Action]]:
        return {a.id: (t, a) for t in self.tracks for a in t.actions}

    def shift(self, shift_id: str) -> Shift:
        return self._shifts[shift_id]

    def capability(self, capability_id: str) -> Capability:
        return self._capabilities[capability_id]

    def role(self, role_id: str) -> Role:
        return self._roles[role_id]

    def action(self, action_id: str) -> tuple[Track, Action]:
        return self._actions[action_id]

    def has_shift(self, shift_id: str) -> bool:
        return shift_id in self._shifts

    def has_capability(self, capability_id: str) -> bool:
        return capability_id in self._capabilities

    def has_role(self, role_id: str) -> bool:
        return role_id in self._roles

    @cached_property
    def _behaviours(self) -> dict[str, tuple[Capability, Level, Behaviour]]:
        return {key: (c, lv, b) for c in self.capabilities for key, lv, b in c.behaviours()}

    def behaviour(self, key: str) -> tuple[Capability, Level, Behaviour]:
        """The capability, level and behaviour a tick key names; KeyError when none."""
        return self._behaviours[key]

    def has_behaviour(self, key: str) -> bool:
        return key in self._behaviours

    @property
    def label(self) -> str:
        return f"{self.name} v{self.version}"


def _duplicates(
    field: str, ids: list[str], parent: PathTuple = ()
) -> Iterator[tuple[PathTuple, str]]:
    seen: set[str] = set()
    for i, x in enumerate(ids):
        if x in seen:
            yield (*parent, field, i, "id"), f"the id {x!r} is used twice"
        seen.add(x)


def framework_from_document(doc: Document) -> Framework:
    if not isinstance(doc.data, dict):
        raise doc.error([doc.problem("a framework file must be a mapping at the top level")])
    try:
        return Framework.model_validate(doc.data)
    except ValidationError as exc:
        problems: list[Problem] = []
        for err in exc.errors():
            cause = err.get("ctx", {}).get("error")
            if isinstance(cause, ReferenceProblems):
                problems.extend(doc.problem(text, path) for path, text in cause.problems)
        if not problems:
            problems = pydantic_problems(doc, exc)
        raise doc.error(problems) from exc


def load_framework_text(text: str, filename: str | None = None) -> Framework:
    return framework_from_document(parse_text(text, filename))


def load_framework_file(path: str | Path) -> Framework:
    return framework_from_document(read_document(path))


DEFAULT_FRAMEWORK_FILE = "default.yaml"


def default_framework_text() -> str:
    return (resources.files("leadshift.frameworks") / "data" / DEFAULT_FRAMEWORK_FILE).read_text(
        encoding="utf-8"
    )


_default: Framework | None = None


def default_framework() -> Framework:
    global _default
    if _default is None:
        _default = load_framework_text(default_framework_text(), DEFAULT_FRAMEWORK_FILE)
    return _default
