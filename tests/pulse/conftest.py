from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail

from leadshift.people.models import Team
from leadshift.pulse import services
from leadshift.pulse.items import ITEM_IDS

LINK = re.compile(r"/pulse/a/(pl_[A-Za-z0-9_\-]+)/")


@pytest.fixture(autouse=True)
def _locmem_mail(settings: Any) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def culture(make_org: Any, make_person: Any) -> dict[str, Any]:
    """An admin outside the line; a boss; a leader under the boss, who leads Alpha (4 people),
    Beta (4) and Gamma (2)."""
    admin = make_org("Acme")
    org = admin.organisation
    boss = make_person(org, "Bo Boss", email="bo@acme.example", is_leader=True)
    leader = make_person(org, "Lea Leader", manager=boss, email="lea@acme.example", is_leader=True)
    people: dict[str, list[Any]] = {}
    for team_name, n in (("Alpha", 4), ("Beta", 4), ("Gamma", 2)):
        team = Team.objects.create(organisation=org, name=team_name)
        people[team_name] = [
            make_person(
                org,
                f"{team_name} Member {i}",
                manager=leader,
                team=team,
                email=f"{team_name.lower()}{i}@acme.example",
            )
            for i in range(n)
        ]
    return {"org": org, "admin": admin, "boss": boss, "leader": leader, "people": people}


def mailed_links() -> dict[str, str]:
    """Each respondent's token, taken from the one e-mail only they receive (latest first)."""
    links: dict[str, str] = {}
    for m in mail.outbox:
        found = LINK.search(m.body)
        if found:
            links[m.to[0]] = found[1]
    return links


def scores(value: int) -> dict[str, int | None]:
    return {i: value for i in ITEM_IDS}


def answer(token: str, value: int, comment: str = "") -> None:
    services.do_answer(
        services.respondent_for_token(token), services.AnswersIn(scores(value), comment)
    )
