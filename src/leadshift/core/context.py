from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse

from leadshift.people import roles


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    # Page names that light this item up; a trailing * matches a prefix.
    matches: tuple[str, ...]
    audience: str = "all"  # "all", "team" (has reports), "leader" or "admin" (people/roles.py)


@dataclass(frozen=True)
class NavGroup:
    label: str  # "" for an item standing on its own in the bar
    items: tuple[NavItem, ...]


# Fourteen destinations in five places: a PM's own growth, their team, the leader's
# portfolio work, reports, and the account menu.
NAV = (
    NavGroup(
        "",
        (
            NavItem(
                "My shift",
                "home",
                ("home", "assessment_profile", "assessment_compare", "plan_detail", "action_*"),
            ),
        ),
    ),
    NavGroup(
        "Growth",
        (
            NavItem(
                "Assess",
                "assessment_start",
                ("assessment_start", "assessment_step", "assessment_review"),
            ),
            NavItem(
                "360 feedback",
                "feedback_index",
                ("feedback_index", "feedback_new", "feedback_cycle", "feedback_results"),
            ),
            NavItem("Time use", "timeuse_mine", ("timeuse_*",)),
            NavItem("Stakeholders", "stakeholders_mine", ("stakeholder*", "brief", "saved_brief")),
            NavItem("1:1s", "coaching_index", ("coaching_*",)),
            NavItem("Mentors", "mentoring_index", ("mentoring_*",)),
        ),
    ),
    NavGroup("", (NavItem("My team", "team", ("team", "person_detail", "feedback_team"), "team"),)),
    NavGroup(
        "Leading",
        (
            NavItem("Decisions", "decision_list", ("decision_*",)),
            NavItem("Portfolio", "portfolio_home", ("portfolio_*", "planning_*"), "leader"),
            NavItem("Plan of record", "plan_of_record", ("plan_of_record",)),
            NavItem(
                "Risks",
                "risk_register",
                ("risk_*", "simulation*", "driver_add", "objective_target"),
                "leader",
            ),
            NavItem("Radar", "radar", ("radar*",), "leader"),
            NavItem("Culture pulse", "pulse_index", ("pulse_*",), "leader"),
        ),
    ),
    NavGroup("", (NavItem("Reports", "reports", ("reports", "report", "report_pdf")),)),
)

ACCOUNT = (
    NavItem("Framework", "framework", ("framework",)),
    NavItem("API tokens", "tokens", ("tokens", "revoke_token")),
    NavItem("Outbox", "outbox", ("outbox", "outbox_message"), "admin"),
    NavItem(
        "People and teams",
        "people_admin",
        ("people_*", "person_add", "person_edit", "team_*", "teams_admin", "invitation*"),
        "admin",
    ),
    NavItem("Password", "password_change", ("password_change", "password_change_done")),
    NavItem("Settings", "settings", ("settings",)),
)


def _matches(item: NavItem, url_name: str) -> bool:
    return any(
        url_name.startswith(m[:-1]) if m.endswith("*") else url_name == m for m in item.matches
    )


def _entries(items: tuple[NavItem, ...], url_name: str, audiences: set[str]) -> list[dict]:
    return [
        {
            "label": i.label,
            "url": reverse(i.url_name),
            "current": _matches(i, url_name),
        }
        for i in items
        if i.audience in audiences
    ]


def navigation(request: HttpRequest) -> dict:
    person = getattr(request, "person", None)
    has_team = bool(person and person.has_reports)
    is_leader = roles.is_leader(person)
    context: dict = {"me": person, "nav_has_team": has_team, "nav_is_leader": is_leader}
    if person is None:
        return context
    match = request.resolver_match
    url_name = (match.url_name if match else None) or ""
    audiences = {"all"} | ({"team"} if has_team else set()) | ({"leader"} if is_leader else set())
    audiences |= {"admin"} if roles.is_admin(person) else set()
    groups = []
    for group in NAV:
        items = _entries(group.items, url_name, audiences)
        if items:
            groups.append(
                {
                    "label": group.label,
                    "items": items,
                    "current": any(i["current"] for i in items),
                }
            )
    account = _entries(ACCOUNT, url_name, audiences)
    context["nav_groups"] = groups
    context["nav_account"] = account
    context["nav_account_current"] = any(i["current"] for i in account)
    return context
