"""The pulse's questions: the product culture the seed asks a leader to build.

Every statement is worded so that agreeing (5) is the healthy answer, workload included, so
a higher mean is always better and the items can share one trend.
"""

from __future__ import annotations

from dataclasses import dataclass

SCALE = (1, 5)
SCALE_LABELS = {
    1: "Strongly disagree",
    2: "Disagree",
    3: "Neither",
    4: "Agree",
    5: "Strongly agree",
}


@dataclass(frozen=True)
class Item:
    id: str
    name: str
    statement: str


ITEMS: tuple[Item, ...] = (
    Item(
        "safety",
        "Psychological safety",
        "I can raise a problem, a doubt or a mistake in my team without fear of blame.",
    ),
    Item(
        "experiment",
        "Room to experiment",
        "I have room to try new ideas, and an experiment that fails is treated as learning.",
    ),
    Item(
        "strategy",
        "Knowing the strategy",
        "I know our product strategy and how my work serves it.",
    ),
    Item(
        "vision",
        "Restating the vision",
        "I could restate our product vision to a new colleague in my own words.",
    ),
    Item(
        "trust",
        "Trust in decisions",
        "I trust how product decisions are made here, even when I disagree with one.",
    ),
    Item("workload", "Sustainable workload", "My workload is sustainable over the coming months."),
)
ITEM_IDS = tuple(i.id for i in ITEMS)
