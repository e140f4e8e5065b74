"""What each role may see and do: the one home of the rule (docs/organisation.md shows the table).

A person holds one or more of three roles in their organisation. Everyone is a **member**;
**leader** and **admin** are added on top (``Person.is_leader``, ``Person.is_admin``).
Seeing a person's records is a separate rule that follows the reporting line
(``Person.can_view``): self and everyone below. The roles say which *areas* a person may use.

A person who is given a report becomes a leader (people/services.py), the meaning "leader"
always had; an admin may take the role away afterwards.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any, Protocol

ADMIN = "admin"
LEADER = "leader"
MEMBER = "member"
ROLES = (ADMIN, LEADER, MEMBER)


class HasRoles(Protocol):
    is_admin: bool
    is_leader: bool


# capability -> (what it covers, the roles that have it)
CAPABILITIES: dict[str, tuple[str, frozenset[str]]] = {
    "journey": (
        "their own self-assessment, profile, 90-day plan, 360 cycles, time use, "
        "stakeholders and decisions",
        frozenset(ROLES),
    ),
    "team": (
        "My team, the team heatmap and team reports of everyone below them in the reporting line",
        frozenset(ROLES),
    ),
    "plan_of_record": ("read the adopted plan of record", frozenset(ROLES)),
    "portfolio": (
        "the portfolio: objectives, products, capacity, initiatives, scenarios; adopt a plan",
        frozenset({LEADER, ADMIN}),
    ),
    "risks": ("the risk register and simulations", frozenset({LEADER, ADMIN})),
    "people": (
        "add, import, edit, move and deactivate people; set their roles",
        frozenset({ADMIN}),
    ),
    "teams": ("create, rename, set the lead of and archive teams", frozenset({ADMIN})),
    "invitations": ("invite colleagues, resend and revoke invitations", frozenset({ADMIN})),
}


def roles_of(person: HasRoles | None) -> tuple[str, ...]:
    """The person's roles in the order of ROLES (empty for nobody)."""
    if person is None:
        return ()
    held = (
        {MEMBER}
        | ({ADMIN} if person.is_admin else set())
        | ({LEADER} if person.is_leader else set())
    )
    return tuple(r for r in ROLES if r in held)


def can(person: HasRoles | None, capability: str) -> bool:
    if capability not in CAPABILITIES:
        raise KeyError(f"unknown capability {capability!r}")
    return bool(set(roles_of(person)) & CAPABILITIES[capability][1])


def is_admin(person: HasRoles | None) -> bool:
    return can(person, "people")


def is_leader(person: HasRoles | None) -> bool:
    """May use the leader's areas (portfolio, risks): a leader or an admin."""
    return can(person, "portfolio")


def parse_roles(text: str) -> tuple[set[str], list[str]]:
    """Roles from 'admin;leader' (also commas or spaces): the known ones and the unknown ones."""
    names = [r.strip().lower() for r in text.replace(",", ";").replace(" ", ";").split(";")]
    names = [n for n in names if n]
    return {n for n in names if n in ROLES}, [n for n in names if n not in ROLES]


def role_flags(roles: Collection[str]) -> dict[str, Any]:
    """The model fields that hold `roles`; member needs none."""
    return {"is_admin": ADMIN in roles, "is_leader": LEADER in roles}


def capability_table() -> str:
    """The Markdown table of docs/organisation.md (a test checks the page holds it)."""
    lines = [
        "| may | " + " | ".join(ROLES) + " |",
        "| --- | " + " | ".join("---" for _ in ROLES) + " |",
    ]
    for what, allowed in CAPABILITIES.values():
        marks = " | ".join("yes" if r in allowed else "—" for r in ROLES)
        lines.append(f"| {what} | {marks} |")
    return "\n".join(lines)
