"""Levels from behaviour checklists: a rater ticks what they have seen, a stated rule gives
the level. Plain Python over the framework data, no Django, so two raters who tick the same
boxes get the same level wherever they tick them (form, API, file).
"""

from __future__ import annotations

import math
from collections.abc import Collection
from dataclasses import dataclass

from leadshift.frameworks.schema import Behaviour, Capability, Framework, Level

SHARE = 0.75
RULE = (
    "A level counts when at least three quarters of its behaviours (rounded up) are ticked "
    "and every level below it counts; the level is the highest level that counts, and "
    "level 1 is the floor."
)


@dataclass(frozen=True)
class LevelCount:
    level: int
    name: str
    ticked: int
    behaviours: int
    needed: int

    @property
    def met(self) -> bool:
        return self.ticked >= self.needed


@dataclass(frozen=True)
class ChecklistLevel:
    capability: str
    level: int
    rows: list[LevelCount]
    rule: str = RULE

    @property
    def explanation(self) -> str:
        """Why this level, in the rule's words, for display beside the result."""
        parts = [
            f"level {r.level}: {r.ticked} of {r.behaviours} (needs {r.needed})" for r in self.rows
        ]
        return "; ".join(parts)


def needed(behaviours: int) -> int:
    return math.ceil(SHARE * behaviours)


def level_from_ticks(capability: Capability, ticked: Collection[str]) -> ChecklistLevel:
    rows = []
    level = capability.min_level
    climbing = True
    for lv in capability.levels:
        keys = capability.behaviour_keys(lv.level)
        row = LevelCount(
            level=lv.level,
            name=lv.name,
            ticked=sum(1 for k in keys if k in ticked),
            behaviours=len(keys),
            needed=needed(len(keys)),
        )
        rows.append(row)
        if climbing and row.met:
            level = lv.level
        else:
            climbing = False
    return ChecklistLevel(capability=capability.id, level=level, rows=rows)


def checklist_items(
    capability: Capability, ticked: Collection[str]
) -> list[tuple[Level, list[tuple[str, Behaviour, bool]]]]:
    """Per level, its behaviours as (key, behaviour, ticked) for a checklist form."""
    return [
        (lv, [(key, b, key in ticked) for key, lv2, b in capability.behaviours() if lv2 is lv])
        for lv in capability.levels
    ]


def unknown_ticks(framework: Framework, capability_id: str, ticked: Collection[str]) -> list[str]:
    """The ticks that name no behaviour of this capability in this framework version."""
    if not framework.has_capability(capability_id):
        return list(ticked)
    own = {k for k, _, _ in framework.capability(capability_id).behaviours()}
    return [k for k in ticked if k not in own]


def full_key(capability_id: str, key: str) -> str:
    """A tick as files may write it inside a capability ("2.1") made whole."""
    return key if key.startswith(f"{capability_id}.") else f"{capability_id}.{key}"
