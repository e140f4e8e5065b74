from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from leadshift.feedback import services
from leadshift.frameworks.schema import default_framework

FW = default_framework()
CAPS = [c.id for c in FW.capabilities]


@pytest.fixture(autouse=True)
def _locmem_mail(settings: Any) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def subject_with_assessment(team: dict[str, Any], completed_assessment: Any) -> Any:
    return team["pm"]


def rater_rows(n_peers: int = 3, n_reports: int = 0, n_stakeholders: int = 0, manager: bool = True):
    rows = []
    if manager:
        rows.append(services.RaterIn("Gus Group", "gus@acme.example", "manager"))
    for i in range(n_peers):
        rows.append(services.RaterIn(f"Peer {i}", f"peer{i}@acme.example", "peer"))
    for i in range(n_reports):
        rows.append(services.RaterIn(f"Report {i}", f"report{i}@acme.example", "report"))
    for i in range(n_stakeholders):
        rows.append(services.RaterIn(f"Stake {i}", f"stake{i}@acme.example", "stakeholder"))
    return rows


def answers(level: int | None, comment: str = "") -> dict[str, services.AnswerIn]:
    return {c: services.AnswerIn(level, comment) for c in CAPS}


def up_to(capability: str, level: int) -> list[str]:
    """Every behaviour of the levels up to this one: ticked, the checklist rule gives it."""
    cap = FW.capability(capability)
    return [k for lv in range(cap.min_level, level + 1) for k in cap.behaviour_keys(lv)]


LINK = re.compile(r"/r/(fb_[A-Za-z0-9_\-]+)/")


def mailed_link(email: str) -> str | None:
    """The token of the latest link e-mailed to this address: what only its rater holds."""
    for m in reversed(mail.outbox):
        if email in m.to:
            found = LINK.search(m.body)
            return found[1] if found else None
    return None


def rater_links(cycle: Any, now: Any = None) -> dict[str, str]:
    """Each rater's own way in, as each of them alone has it: a colleague opens the form from
    their LeadShift home (a fresh link made for them), an outsider follows their e-mail."""
    out = {}
    for rater in cycle.raters.select_related("person"):
        if rater.person is not None:
            opened = services.do_open_form(rater.person, rater.pk, now=now or cycle.opened_at)
            out[rater.email] = opened.token
        else:
            token = mailed_link(rater.email)
            assert token, f"no link reached {rater.email}"
            out[rater.email] = token
    return out


@pytest.fixture
def open_cycle(team: dict[str, Any], completed_assessment: Any) -> Callable[..., Any]:
    """Open a cycle on the PM, by the PM; returns (cycle, {email: token}), each token taken
    where its rater alone finds it."""

    def make(raters: list[services.RaterIn] | None = None, days: int = 14, now: Any = None):
        pm = team["pm"]
        cycle = services.do_open_cycle(
            pm,
            pm,
            closes_on=(now or timezone.now()) + dt.timedelta(days=days),
            raters=raters if raters is not None else rater_rows(),
            now=now,
        )
        return cycle, rater_links(cycle, now)

    return make


def answer_all(tokens: dict[str, str], level_of: Callable[[str], int | None], comment: str = ""):
    for email, token in tokens.items():
        rater = services.rater_for_token(token)
        services.do_save_answers(
            rater, answers(level_of(email), comment and f"{comment} {email}"), submit=True
        )
