"""Writes to stakeholder maps, interactions and briefs; reads that the pages, API and CLI share."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone

from leadshift.core.errors import Invalid, NotAllowed
from leadshift.decisions.models import Decision
from leadshift.people.models import Person
from leadshift.planning.services import planned_keys
from leadshift.portfolio.access import is_leader
from leadshift.portfolio.models import Initiative, Product
from leadshift.stakeholders.health import Due, Suggestion, due, health, health_trend, suggest
from leadshift.stakeholders.models import Brief, Interaction, Stakeholder, Stance
from leadshift.undo.models import Deletion
from leadshift.undo.services import do_delete_with_undo

TONES = {-2: "went badly", -1: "went poorly", 0: "neutral", 1: "went well", 2: "went very well"}


def today() -> dt.date:
    return timezone.localdate()


def check_coach(owner: Person, actor: Person) -> None:
    """The person and the managers above them may work on a map; nobody else."""
    if not actor.can_view(owner):
        raise NotAllowed("you may not change this person's stakeholders")


def _int(value: Any, field: str, low: int, high: int, what: str) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise Invalid(f"{what} is a whole number from {low} to {high}", field=field) from None
    if not low <= number <= high:
        raise Invalid(f"{what} is from {low} to {high}", field=field)
    return number


def clean_stakeholder(owner: Person, data: dict[str, Any]) -> dict[str, Any]:
    """Checked field values for a stakeholder of `owner`'s map; Invalid names the field."""
    out: dict[str, Any] = {}
    linked = None
    ref = data.get("person_id")
    if ref not in (None, ""):
        pid = _int(ref, "person_id", 1, 2**62, "the person")
        linked = Person.objects.filter(pk=pid, organisation_id=owner.organisation_id).first()
        if linked is None:
            raise Invalid(
                "an inside stakeholder must be a person of your own organisation "
                f"({owner.organisation.name}); add someone from elsewhere as outside, "
                "with their company",
                field="person_id",
            )
    name = str(data.get("name") or "").strip() or (linked.name if linked else "")
    if not name:
        raise Invalid("give the stakeholder a name", field="name")
    out["name"] = name[:200]
    out["person"] = linked
    raw = data.get("internal", True)
    internal = raw if isinstance(raw, bool) else str(raw).lower() in ("1", "true", "on", "yes")
    out["internal"] = True if linked else internal
    out["role"] = str(data.get("role") or (linked.title if linked else "") or "").strip()[:200]
    out["company"] = "" if out["internal"] else str(data.get("company") or "").strip()[:200]
    out["influence"] = _int(data.get("influence", 3), "influence", 1, 5, "influence")
    out["interest"] = _int(data.get("interest", 3), "interest", 1, 5, "interest")
    stance = str(data.get("stance") or "neutral")
    if stance not in Stance.values:
        raise Invalid(
            "the stance is one of champion, supporter, neutral, sceptic or blocker", field="stance"
        )
    out["stance"] = stance
    out["cares_about"] = str(data.get("cares_about") or "").strip()
    tags = [t.strip() for t in str(data.get("concerns") or "").split(",") if t.strip()]
    out["concerns"] = ", ".join(dict.fromkeys(tags))[:500]
    cadence = data.get("cadence_days")
    out["cadence_days"] = (
        None
        if cadence in (None, "", 0, "0")
        else _int(cadence, "cadence_days", 1, 365, "the cadence in days")
    )
    return out


# --- What concerns a stakeholder: products, initiatives, decisions --------------------------

LINKS = (
    ("product_ids", "products", "products"),
    ("initiative_ids", "initiatives", "initiatives"),
    ("decision_ids", "decisions", "decisions"),
)


@dataclass
class Linkable:
    """What the owner of a map may link a stakeholder to: what they may see of each."""

    products: models.QuerySet[Product]
    initiatives: models.QuerySet[Initiative]
    decisions: models.QuerySet[Decision]

    def of(self, attr: str) -> models.QuerySet[Any]:
        return getattr(self, attr)


def linkable(owner: Person) -> Linkable:
    """Leaders and admins see the whole portfolio; anyone else their team's products, the
    initiatives of those products and those in the plan of record. Decisions: the owner's own
    and those of the people below them, as the decision pages allow. One organisation only."""
    org_id = owner.organisation_id
    products = Product.objects.filter(organisation_id=org_id)
    initiatives = Initiative.objects.filter(organisation_id=org_id)
    if not is_leader(owner):
        own = models.Q(owner=owner) | (
            models.Q(team_id=owner.team_id) if owner.team_id else models.Q(pk__in=[])
        )
        products = products.filter(own)
        planned = planned_keys(owner.organisation)
        initiatives = initiatives.filter(
            models.Q(product__in=products) | models.Q(key__in=planned)
        ).distinct()
    decisions = Decision.objects.filter(
        organisation_id=org_id, owner__in=Person.objects.visible_to(owner)
    ).order_by("-decided_on", "-id")
    return Linkable(products.order_by("position", "name"), initiatives, decisions)


def _ids(raw: Any, field: str, what: str) -> list[int]:
    if raw in (None, ""):
        return []
    items = raw if isinstance(raw, (list, tuple)) else str(raw).split(",")
    out = []
    for item in items:
        if str(item).strip() == "":
            continue
        try:
            out.append(int(item))
        except (TypeError, ValueError):
            raise Invalid(f"{what}: {item!r} is not the number of one", field=field) from None
    return list(dict.fromkeys(out))


def clean_links(owner: Person, data: dict[str, Any]) -> dict[str, list[Any]]:
    """The products, initiatives and decisions chosen, each checked to be of the owner's
    organisation and one the owner may see; Invalid names the field otherwise."""
    allowed = linkable(owner)
    out: dict[str, list[Any]] = {}
    for field, attr, what in LINKS:
        ids = _ids(data.get(field), field, what)
        found = list(allowed.of(attr).filter(pk__in=ids)) if ids else []
        missing = sorted(set(ids) - {x.pk for x in found})
        if missing:
            raise Invalid(
                f"{what}: choose from those of your organisation ({owner.organisation.name}) "
                f"you may see; {', '.join(str(m) for m in missing)} "
                f"{'is' if len(missing) == 1 else 'are'} not among them",
                field=field,
            )
        out[attr] = found
    return out


@transaction.atomic
def do_add_stakeholder(owner: Person, actor: Person, data: dict[str, Any]) -> Stakeholder:
    check_coach(owner, actor)
    fields = clean_stakeholder(owner, data)
    links = clean_links(owner, data)
    s = Stakeholder.objects.create(owner=owner, **fields)
    for attr, items in links.items():
        getattr(s, attr).set(items)
    return s


@transaction.atomic
def do_update_stakeholder(s: Stakeholder, actor: Person, data: dict[str, Any]) -> Stakeholder:
    check_coach(s.owner, actor)
    fields = clean_stakeholder(s.owner, data)
    links = clean_links(s.owner, data)
    for key, value in fields.items():
        setattr(s, key, value)
    s.save()
    for attr, items in links.items():
        getattr(s, attr).set(items)
    return s


@transaction.atomic
def do_link_concerns(s: Stakeholder, actor: Person, data: dict[str, Any]) -> Stakeholder:
    """Set only what concerns the stakeholder (the ids given per field; a field left out
    keeps its links)."""
    check_coach(s.owner, actor)
    links = clean_links(s.owner, data)
    for field, attr, _ in LINKS:
        if field in data:
            getattr(s, attr).set(links[attr])
    return s


@transaction.atomic
def do_delete_stakeholder(s: Stakeholder, actor: Person) -> Deletion | None:
    check_coach(s.owner, actor)
    return do_delete_with_undo(
        s, actor, f"{s.name} and their contacts", reverse("stakeholder_detail", args=[s.pk])
    )


@transaction.atomic
def do_log_interaction(
    s: Stakeholder,
    actor: Person,
    *,
    date: dt.date,
    kind: str,
    note: str,
    tone: Any,
) -> Interaction:
    check_coach(s.owner, actor)
    if kind not in Interaction.Kind.values:
        raise Invalid("choose what kind of contact it was", field="kind")
    tone_value = _int(tone, "tone", -2, 2, "how it went")
    if date > today() + dt.timedelta(days=1):
        raise Invalid("log a contact once it has happened, not in the future", field="date")
    if date < dt.date(2000, 1, 1):
        raise Invalid("that date is too long ago", field="date")
    return Interaction.objects.create(
        stakeholder=s, date=date, kind=kind, note=note.strip(), tone=tone_value, logged_by=actor
    )


# --- reading -------------------------------------------------------------------------------


@dataclass
class Row:
    stakeholder: Stakeholder
    health: float | None
    due: Due
    trend: list[tuple[dt.date, float | None]]

    @property
    def health_class(self) -> str:
        if self.health is None:
            return ""
        return "low" if self.health < 35 else ("mid" if self.health < 60 else "high")


def rows_for(owner: Person, as_of: dt.date | None = None) -> list[Row]:
    as_of = as_of or today()
    out = []
    for s in owner.stakeholders.prefetch_related(
        "interactions", "products", "initiatives", "decisions"
    ).select_related("person"):
        contacts = s.contacts()
        out.append(
            Row(
                stakeholder=s,
                health=health(contacts, as_of, s.cadence_days),
                due=due(contacts, as_of, s.cadence_days, s.created_at.date()),
                trend=health_trend(contacts, as_of, cadence_days=s.cadence_days),
            )
        )
    return out


def suggestions_for(
    owner: Person, as_of: dt.date | None = None, limit: int = 5
) -> list[Suggestion]:
    as_of = as_of or today()
    states = [s.state() for s in owner.stakeholders.prefetch_related("interactions")]
    return suggest(states, as_of, limit=limit)


def stakeholder_json(s: Stakeholder, as_of: dt.date | None = None) -> dict[str, Any]:
    as_of = as_of or today()
    contacts = s.contacts()
    d = due(contacts, as_of, s.cadence_days, s.created_at.date())
    h = health(contacts, as_of, s.cadence_days)
    return {
        "id": s.id,
        "version": s.version,
        "owner_id": s.owner_id,
        "name": s.name,
        "role": s.role,
        "internal": s.internal,
        "person_id": s.person_id,
        "company": s.company,
        "influence": s.influence,
        "interest": s.interest,
        "stance": s.stance,
        "cares_about": s.cares_about,
        "concerns": s.concern_tags,
        "products": [{"id": p.id, "key": p.key, "name": p.name} for p in s.products.all()],
        "initiatives": [{"id": i.id, "key": i.key, "name": i.name} for i in s.initiatives.all()],
        "decisions": [
            {"id": d.id, "question": d.question, "owner_id": d.owner_id} for d in s.decisions.all()
        ],
        "cadence_days": s.cadence_days,
        "health": None if h is None else round(h, 1),
        "last_contact": d.last_contact.isoformat() if d.last_contact else None,
        "due_on": d.due_on.isoformat() if d.due_on else None,
        "overdue_days": d.overdue_days,
        "health_trend": [
            {"date": day.isoformat(), "health": None if v is None else round(v, 1)}
            for day, v in health_trend(contacts, as_of, cadence_days=s.cadence_days)
        ],
        "interactions": [
            {
                "id": i.id,
                "date": i.date.isoformat(),
                "kind": i.kind,
                "note": i.note,
                "tone": i.tone,
            }
            for i in s.interactions.all()
        ],
    }


def suggestion_json(s: Suggestion) -> dict[str, Any]:
    return {"stakeholder_id": s.key, "name": s.name, "score": s.score, "why": s.text}


# --- briefs --------------------------------------------------------------------------------


def clean_sections(sections: list[dict[str, Any]]) -> list[dict[str, str]]:
    out = []
    for i, sec in enumerate(sections):
        heading = str(sec.get("heading") or "").strip()
        body = str(sec.get("body") or "").strip()
        if not heading and not body:
            continue
        if not heading:
            raise Invalid(f"section {i + 1} needs a heading", field=f"heading_{i}")
        out.append(
            {"key": str(sec.get("key") or f"s{i}")[:40], "heading": heading[:200], "body": body}
        )
    if not out:
        raise Invalid("a brief needs at least one section", field="sections")
    return out


@transaction.atomic
def do_save_brief(
    person: Person, actor: Person, *, title: str, sections: list[dict[str, Any]]
) -> Brief:
    check_coach(person, actor)
    if not title.strip():
        raise Invalid("give the brief a title", field="title")
    return Brief.objects.create(
        person=person,
        title=title.strip()[:200],
        sections=clean_sections(sections),
        created_by=actor,
    )


@transaction.atomic
def do_update_brief(
    brief: Brief, actor: Person, *, title: str, sections: list[dict[str, Any]]
) -> Brief:
    check_coach(brief.person, actor)
    if not title.strip():
        raise Invalid("give the brief a title", field="title")
    brief.title = title.strip()[:200]
    brief.sections = clean_sections(sections)
    brief.save()
    return brief


@transaction.atomic
def do_delete_brief(brief: Brief, actor: Person) -> Deletion | None:
    check_coach(brief.person, actor)
    return do_delete_with_undo(
        brief, actor, f"the brief “{brief.title}”", reverse("saved_brief", args=[brief.pk])
    )


def brief_json(brief: Brief) -> dict[str, Any]:
    return {
        "id": brief.id,
        "version": brief.version,
        "person_id": brief.person_id,
        "title": brief.title,
        "sections": brief.sections,
        "created_at": brief.created_at.isoformat(),
        "updated_at": brief.updated_at.isoformat(),
    }
