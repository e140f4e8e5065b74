"""The answers file of `leadshift assess --answers FILE`: read, checked against a framework.

```yaml
person: ana@example.com          # e-mail or id
target_role: director_product
date: 2026-11-02                 # optional, defaults to today
shifts:
  scope:
    scope_products: 2            # the option's number as shown (1 = first), or its exact label
capabilities:
  visionary_thinking: 3          # a level, or {level: 3, evidence: "..."}
  strategic_planning:            # or the behaviours seen, as level.number: the level
    behaviours: [1.1, 1.2, 1.3]  #   then follows from the checklist rule
```
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from leadshift.assessments.readiness import Answers
from leadshift.behaviours.checklist import full_key, level_from_ticks
from leadshift.files import Document, Problem
from leadshift.frameworks.schema import Framework

KNOWN_KEYS = {"person", "target_role", "date", "shifts", "capabilities"}


@dataclass(frozen=True)
class AnswersFile:
    person: str | None
    target_role: str
    date: dt.date | None
    answers: Answers


def answers_from_document(doc: Document, framework: Framework) -> AnswersFile:
    data = doc.data
    if not isinstance(data, dict):
        raise doc.error([doc.problem("an answers file must be a mapping at the top level")])
    problems: list[Problem] = []
    for key in data:
        if key not in KNOWN_KEYS:
            problems.append(
                doc.problem(
                    f"unknown field (expected one of {', '.join(sorted(KNOWN_KEYS))})", (key,)
                )
            )

    person = data.get("person")
    if person is not None and not isinstance(person, str | int):
        problems.append(doc.problem("must be an e-mail address or a person id", ("person",)))

    role = data.get("target_role")
    if role is None:
        problems.append(doc.problem("this field is required", ("target_role",)))
    elif not isinstance(role, str) or not framework.has_role(role):
        roles = ", ".join(r.id for r in framework.roles)
        problems.append(doc.problem(f"unknown role {role!r} (one of {roles})", ("target_role",)))

    date = data.get("date")
    if date is not None and not isinstance(date, dt.date):
        try:
            date = dt.date.fromisoformat(str(date))
        except ValueError:
            problems.append(doc.problem("must be a date like 2026-11-02", ("date",)))
            date = None

    choices: dict[tuple[str, str], int] = {}
    shifts = data.get("shifts", {})
    if not isinstance(shifts, dict):
        problems.append(doc.problem("must map shift ids to their answers", ("shifts",)))
        shifts = {}
    for sid, qs in shifts.items():
        if not framework.has_shift(str(sid)):
            known = ", ".join(s.id for s in framework.shifts)
            problems.append(doc.problem(f"unknown shift {sid!r} (one of {known})", ("shifts", sid)))
            continue
        shift = framework.shift(sid)
        if not isinstance(qs, dict):
            problems.append(doc.problem("must map question ids to answers", ("shifts", sid)))
            continue
        for qid, value in qs.items():
            path = ("shifts", sid, qid)
            try:
                question = shift.question(str(qid))
            except KeyError:
                known = ", ".join(q.id for q in shift.questions)
                problems.append(doc.problem(f"unknown question {qid!r} (one of {known})", path))
                continue
            labels = [o.label for o in question.options]
            if isinstance(value, bool) or not isinstance(value, int | str):
                problems.append(doc.problem("must be an option number or label", path))
            elif isinstance(value, int):
                if not 1 <= value <= len(labels):
                    problems.append(
                        doc.problem(f"option {value} does not exist (1–{len(labels)})", path)
                    )
                else:
                    choices[(sid, question.id)] = value - 1
            elif value in labels:
                choices[(sid, question.id)] = labels.index(value)
            else:
                problems.append(
                    doc.problem(f"{value!r} is not one of this question's options", path)
                )

    levels: dict[str, int] = {}
    evidence: dict[str, str] = {}
    ticks: dict[str, frozenset[str]] = {}
    caps = data.get("capabilities", {})
    if not isinstance(caps, dict):
        problems.append(doc.problem("must map capability ids to levels", ("capabilities",)))
        caps = {}
    for cid, value in caps.items():
        cpath: tuple[str | int, ...] = ("capabilities", cid)
        if not framework.has_capability(str(cid)):
            known = ", ".join(c.id for c in framework.capabilities)
            problems.append(doc.problem(f"unknown capability {cid!r} (one of {known})", cpath))
            continue
        cap = framework.capability(cid)
        level = value
        if isinstance(value, dict):
            extra = set(value) - {"level", "evidence", "behaviours"}
            if extra:
                problems.append(doc.problem(f"unknown field {sorted(extra)[0]!r}", cpath))
            if "behaviours" in value:
                found = _ticks(doc, framework, str(cid), value["behaviours"], problems)
                if found is not None:
                    ticks[cid] = found
                    value = {"level": level_from_ticks(cap, found).level, **value}
            level = value.get("level")
            cpath = (*cpath, "level")
            text = value.get("evidence", "")
            if text is not None and not isinstance(text, str):
                problems.append(
                    doc.problem("evidence must be text", ("capabilities", cid, "evidence"))
                )
            elif text:
                evidence[cid] = text.strip()
        if isinstance(level, bool) or not isinstance(level, int):
            problems.append(
                doc.problem(
                    f"the level must be a whole number {cap.min_level}–{cap.max_level}", cpath
                )
            )
        elif not cap.min_level <= level <= cap.max_level:
            problems.append(
                doc.problem(
                    f"level {level} is outside this capability's levels ({cap.min_level}–{cap.max_level})",
                    cpath,
                )
            )
        else:
            levels[cid] = level

    if problems:
        raise doc.error(problems)
    return AnswersFile(
        person=str(person) if person is not None else None,
        target_role=str(role),
        date=date,
        answers=Answers(
            shift_choices=choices, capability_levels=levels, evidence=evidence, behaviours=ticks
        ),
    )


def _ticks(
    doc: Document, framework: Framework, cid: str, raw: object, problems: list[Problem]
) -> frozenset[str] | None:
    """The ticked behaviours of one capability, each a behaviour of this framework version."""
    path: tuple[str | int, ...] = ("capabilities", cid, "behaviours")
    if not isinstance(raw, list):
        problems.append(doc.problem("must be a list of behaviours such as 2.1", path))
        return None
    keys = []
    for i, item in enumerate(raw):
        key = full_key(cid, str(item))
        if not framework.has_behaviour(key) or framework.behaviour(key)[0].id != cid:
            problems.append(
                doc.problem(
                    f"{item!r} is not a behaviour of {cid!r} in {framework.label} "
                    "(write level.number, such as 2.1)",
                    (*path, i),
                )
            )
        else:
            keys.append(key)
    return frozenset(keys) if len(keys) == len(raw) else None
