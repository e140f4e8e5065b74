"""The navigation's search: what a person may see, by name, across the apps. Each kind asks
the same access question its own pages ask, so a search never finds what a page would 404."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import reduce
from operator import and_, or_
from typing import Any

from django.db.models import Q, QuerySet
from django.urls import reverse

from leadshift.decisions.models import Decision
from leadshift.people.models import Person
from leadshift.people.roles import is_leader
from leadshift.portfolio.models import Initiative, Product
from leadshift.risk.models import Risk
from leadshift.stakeholders.models import Stakeholder

PER_KIND = 8


@dataclass(frozen=True)
class Hit:
    title: str
    detail: str
    url: str


@dataclass(frozen=True)
class Group:
    kind: str
    hits: list[Hit]
    more: bool  # there were more than shown


def _matching(qs: QuerySet[Any], words: list[str], fields: tuple[str, ...]) -> QuerySet[Any]:
    # Every word somewhere among the fields: "pricing sam" finds Sam's pricing decision.
    per_word = [reduce(or_, (Q(**{f"{f}__icontains": w}) for f in fields)) for w in words]
    return qs.filter(reduce(and_, per_word))


def search(viewer: Person, query: str) -> list[Group]:
    words = query.split()[:6]
    if not words:
        return []
    visible = Person.objects.visible_to(viewer)
    kinds: list[tuple[str, QuerySet[Any], tuple[str, ...], Callable[[Any], Hit]]] = [
        (
            "People",
            visible.select_related("team"),
            ("name", "email", "title"),
            lambda p: Hit(p.name, p.title or p.email, reverse("person_detail", args=[p.id])),
        ),
        (
            "Decisions",
            Decision.objects.filter(owner__in=visible).select_related("owner"),
            ("question", "context"),
            lambda d: Hit(d.question, d.owner.name, reverse("decision_detail", args=[d.id])),
        ),
        (
            "Stakeholders",
            Stakeholder.objects.filter(owner__in=visible).select_related("owner"),
            ("name", "role", "company"),
            lambda s: Hit(
                s.name,
                f"{s.role or s.company} · map of {s.owner.name}".strip(" ·"),
                reverse("stakeholder_detail", args=[s.id]),
            ),
        ),
    ]
    if is_leader(viewer):
        org = viewer.organisation_id
        kinds += [
            (
                "Products",
                Product.objects.filter(organisation_id=org),
                ("name", "key"),
                lambda p: Hit(p.name, p.key, reverse("portfolio_product", args=[p.id])),
            ),
            (
                "Initiatives",
                Initiative.objects.filter(organisation_id=org),
                ("name", "key"),
                lambda i: Hit(i.name, i.key, reverse("portfolio_initiative", args=[i.id])),
            ),
            (
                "Risks",
                Risk.objects.filter(organisation_id=org),
                ("title", "trigger", "mitigation"),
                lambda r: Hit(r.title, r.get_status_display(), reverse("risk_edit", args=[r.id])),
            ),
        ]
    groups = []
    for kind, qs, fields, hit in kinds:
        found = list(_matching(qs, words, fields).order_by("pk")[: PER_KIND + 1])
        if found:
            groups.append(Group(kind, [hit(x) for x in found[:PER_KIND]], len(found) > PER_KIND))
    return groups
