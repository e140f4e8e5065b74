"""A decision record as plain data: weighted totals, starting templates, Markdown.

No Django here: the app stores records, this module computes and writes them out.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Sequence
from dataclasses import dataclass, field

KINDS: tuple[tuple[str, str], ...] = (
    ("product_bet", "Product bet"),
    ("hiring", "Hiring"),
    ("pricing", "Pricing"),
    ("technology", "Technology"),
    ("market_entry", "Market entry"),
    ("organisation", "Organisation"),
    ("other", "Other"),
)
KIND_NAMES = dict(KINDS)
OUTCOMES: tuple[tuple[str, str], ...] = (
    ("succeeded", "Succeeded"),
    ("partly", "Partly succeeded"),
    ("failed", "Failed"),
)
OUTCOME_NAMES = dict(OUTCOMES)
SCORE_MIN, SCORE_MAX = 0.0, 10.0


@dataclass(frozen=True)
class Criterion:
    name: str
    weight: float


@dataclass(frozen=True)
class Option:
    name: str
    description: str = ""
    scores: tuple[float | None, ...] = ()
    """One score per criterion (0–10), in the criteria's order; None when not scored."""


def weighted_total(criteria: Sequence[Criterion], scores: Sequence[float | None]) -> float | None:
    """Sum of weight × score over the scored criteria, divided by the sum of their weights:
    a 0–10 figure comparable across options. None when nothing is scored or no weight."""
    num = den = 0.0
    for c, s in zip(criteria, scores, strict=False):
        if s is None:
            continue
        num += c.weight * s
        den += c.weight
    return num / den if den > 0 else None


def ranked(criteria: Sequence[Criterion], options: Sequence[Option]) -> list[int]:
    """Option indices, best weighted total first (unscored options last, in order)."""
    totals = [weighted_total(criteria, o.scores) for o in options]
    return sorted(range(len(options)), key=lambda i: (totals[i] is None, -(totals[i] or 0.0), i))


@dataclass(frozen=True)
class Starter:
    """A known framework to start a decision from."""

    slug: str
    name: str
    summary: str
    criteria: tuple[Criterion, ...] = ()
    options: tuple[str, ...] = ()
    context_prompt: str = ""
    premortem: tuple[str, ...] = ()
    reversible: bool | None = None


STARTERS: tuple[Starter, ...] = (
    Starter(
        slug="weighted-criteria",
        name="Weighted criteria",
        summary=(
            "List the options, agree the criteria and their weights before scoring, then score "
            "each option 0–10 on each criterion. The weighted total ranks them; the choice and "
            "why say where judgement overrode the sum."
        ),
        criteria=(
            Criterion("Impact on company objectives", 3),
            Criterion("Customer value", 3),
            Criterion("Cost and effort", 2),
            Criterion("Time to value", 2),
            Criterion("Risk", 2),
        ),
        options=("Option A", "Option B", "Do nothing"),
        context_prompt=(
            "What forces the decision now? Which objective does it serve? What do we know, "
            "and what are we assuming?"
        ),
    ),
    Starter(
        slug="one-way-two-way-door",
        name="One-way or two-way door",
        summary=(
            "First decide what kind of decision it is. A two-way door can be walked back "
            "cheaply: decide fast, close to the work. A one-way door is costly or impossible "
            "to undo: slow down, consult widely, write it down."
        ),
        criteria=(
            Criterion("Cost to reverse", 3),
            Criterion("Value of deciding now", 2),
            Criterion("Information still to come", 1),
        ),
        options=("Decide now", "Decide later with more information"),
        context_prompt=(
            "If we are wrong, what does it cost to walk it back, and how long would it take? "
            "Who has to be consulted before a one-way door? What would we learn by waiting?"
        ),
        premortem=(
            "If this turns out to be a one-way door after all, what locks us in?",
            "What is the earliest signal that we should reverse it?",
        ),
    ),
    Starter(
        slug="pre-mortem",
        name="Pre-mortem",
        summary=(
            "Imagine it is a year from now and the decision has failed. Each person writes why, "
            "independently; the reasons become risks accepted or mitigated before committing."
        ),
        options=("Go", "No go"),
        context_prompt="What are we about to commit to, and what does success look like?",
        premortem=(
            "It is a year from now and this failed. What went wrong?",
            "Which assumption was most likely false?",
            "What did a competitor, a customer or a regulator do that we did not expect?",
            "What would we have seen early if we had been looking?",
            "What would we do differently starting today?",
        ),
    ),
)
STARTER_BY_SLUG = {s.slug: s for s in STARTERS}


@dataclass(frozen=True)
class Record:
    """One decision, everything Markdown export needs."""

    id: int
    question: str
    kind: str
    context: str = ""
    criteria: tuple[Criterion, ...] = ()
    options: tuple[Option, ...] = ()
    chosen: int | None = None
    """Index of the chosen option."""
    rationale: str = ""
    reversible: bool = True
    decided_on: dt.date | None = None
    decided_by: tuple[str, ...] = ()
    consulted: tuple[str, ...] = ()
    informed: tuple[str, ...] = ()
    risks_accepted: str = ""
    premortem: str = ""
    forecast: float | None = None
    forecast_by: dt.date | None = None
    review_on: dt.date | None = None
    outcome: str = ""
    lesson: str = ""
    reviewed_on: dt.date | None = None
    links: tuple[str, ...] = field(default_factory=tuple)


def _fmt(v: float | None) -> str:
    return "–" if v is None else f"{v:g}"


def _text(s: str) -> str:
    """User text as Markdown text, never markup: Markdown passes raw HTML through to whoever
    renders the file, so `<`, `>` and `&` become entities (shown as typed)."""
    return html.escape(s, quote=False)


def _cell(s: str) -> str:
    return _text(s).replace("|", "\\|").replace("\n", " ")


def markdown(r: Record) -> str:
    """The decision as Markdown for sharing: headings, a scoring table, roles, forecast."""
    lines = [f"# {_text(r.question)}", ""]
    facts = [f"**Kind:** {KIND_NAMES.get(r.kind, r.kind)}"]
    if r.decided_on:
        facts.append(f"**Decided:** {r.decided_on.isoformat()}")
    facts.append(
        "**Door:** " + ("two-way (reversible)" if r.reversible else "one-way (hard to reverse)")
    )
    lines += [" · ".join(facts), ""]
    if r.context:
        lines += ["## Context", "", _text(r.context.strip()), ""]
    if r.options:
        lines += ["## Options", ""]
        if r.criteria:
            head = ["Option", *(f"{c.name} (×{c.weight:g})" for c in r.criteria), "Weighted total"]
            lines.append("| " + " | ".join(_cell(h) for h in head) + " |")
            lines.append("|" + "---|" * len(head))
            for i, o in enumerate(r.options):
                total = weighted_total(r.criteria, o.scores)
                name = o.name + (" ✔" if i == r.chosen else "")
                row = [
                    name,
                    *(
                        _fmt(o.scores[k] if k < len(o.scores) else None)
                        for k in range(len(r.criteria))
                    ),
                    "–" if total is None else f"{total:.2f}",
                ]
                lines.append("| " + " | ".join(_cell(c) for c in row) + " |")
            lines.append("")
        for o in r.options:
            if o.description:
                lines.append(f"- **{_text(o.name)}**: {_text(o.description)}")
        if any(o.description for o in r.options):
            lines.append("")
    lines += ["## Choice", ""]
    if r.chosen is not None and 0 <= r.chosen < len(r.options):
        lines.append(f"**{_text(r.options[r.chosen].name)}**")
        lines.append("")
    if r.rationale:
        lines += [_text(r.rationale.strip()), ""]
    roles = [
        ("Decided by", r.decided_by),
        ("Consulted", r.consulted),
        ("Informed", r.informed),
    ]
    if any(names for _, names in roles):
        lines += ["## Roles", ""]
        lines += [f"- **{label}:** {_text(', '.join(names))}" for label, names in roles if names]
        lines.append("")
    if r.risks_accepted:
        lines += ["## Risks accepted", "", _text(r.risks_accepted.strip()), ""]
    if r.premortem:
        lines += ["## Pre-mortem", "", _text(r.premortem.strip()), ""]
    if r.forecast is not None:
        by = f" by {r.forecast_by.isoformat()}" if r.forecast_by else ""
        lines += ["## Forecast", "", f"{r.forecast:.0%} that it succeeds{by}."]
        if r.review_on:
            lines.append(f"Review on {r.review_on.isoformat()}.")
        lines.append("")
    if r.outcome:
        when = f" (reviewed {r.reviewed_on.isoformat()})" if r.reviewed_on else ""
        lines += ["## Outcome", "", f"**{OUTCOME_NAMES.get(r.outcome, r.outcome)}**{when}", ""]
        if r.lesson:
            lines += [f"Lesson: {_text(r.lesson.strip())}", ""]
    if r.links:
        lines += ["## Concerns", ""] + [f"- {_text(link)}" for link in r.links] + [""]
    return "\n".join(lines).rstrip() + "\n"
