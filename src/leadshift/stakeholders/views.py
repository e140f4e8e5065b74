from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from leadshift.core.errors import Invalid
from leadshift.core.html import options
from leadshift.core.listing import Column, apply
from leadshift.core.lists import csv_response, wants_csv
from leadshift.core.versioning import expect_version, posted_version
from leadshift.people.access import person_required, visible_owned, visible_person
from leadshift.people.models import Person
from leadshift.portfolio.access import is_leader
from leadshift.stakeholders import services
from leadshift.stakeholders.brief import assemble_brief, default_title, paragraphs
from leadshift.stakeholders.charts import health_chart, map_chart
from leadshift.stakeholders.models import Brief, Interaction, Stakeholder, Stance
from leadshift.stakeholders.services import TONES
from leadshift.undo.views import offer_undo


def _visible_stakeholder(request: HttpRequest, stakeholder_id: int) -> Stakeholder:
    return visible_owned(
        request.person, Stakeholder, stakeholder_id, "owner", "stakeholder", related=("person",)
    )


def _visible_brief(request: HttpRequest, brief_id: int) -> Brief:
    return visible_owned(request.person, Brief, brief_id, "person", "brief")


def _posted(request: HttpRequest) -> dict:
    """The form as posted, with the several-choice fields as lists."""
    data: dict = request.POST.dict()
    for field, _, _ in services.LINKS:
        data[field] = request.POST.getlist(field)
    return data


def _chosen(values: dict) -> dict[str, set[int]]:
    out = {}
    for field, attr, _ in services.LINKS:
        raw = values.get(field) or []
        out[attr] = {int(x) for x in raw if str(x).isdigit()}
    return out


def _form_context(owner: Person, values: dict) -> dict:
    """The form's choices: stances, colleagues, and what the owner may link."""
    allowed = services.linkable(owner)
    chosen = _chosen(values)
    recent = list(allowed.decisions.select_related("owner")[:100])
    shown = {d.id for d in recent}
    recent += allowed.decisions.select_related("owner").filter(pk__in=chosen["decisions"] - shown)
    colleagues = (
        Person.objects.active()
        .filter(organisation_id=owner.organisation_id)
        .exclude(pk=owner.pk)
        .values_list("id", "name", "title")
    )
    return {
        "stances": Stance.choices,
        # Thousands of colleagues and initiatives at scale: written in Python, not a loop.
        "colleague_options": options(
            ((pid, f"{name} · {title}" if title else name) for pid, name, title in colleagues),
            selected={str(values.get("person_id") or "")},
        ),
        "kinds": Interaction.Kind.choices,
        "tones": sorted(TONES.items(), reverse=True),
        "linkable": {
            "products": list(allowed.products),
            "initiatives": options(
                allowed.initiatives.order_by("name").values_list("id", "name"),
                selected={str(i) for i in chosen["initiatives"]},
            ),
            "decisions": recent,
        },
        "chosen": chosen,
    }


@person_required
def mine(request: HttpRequest) -> HttpResponse:
    return redirect("stakeholder_map", person_id=request.person.id)


STAKEHOLDER_COLUMNS = [
    Column("name", "Stakeholder", lambda r: r.stakeholder.name, search=True),
    Column("role", "Role", lambda r: r.stakeholder.role, search=True, sortable=False),
    Column(
        "company",
        "Organisation",
        lambda r: "" if r.stakeholder.internal else (r.stakeholder.company or "outside"),
        search=True,
        facet=True,
    ),
    Column("stance", "Stance", lambda r: r.stakeholder.get_stance_display(), facet=True),
    Column("influence", "Influence", lambda r: r.stakeholder.influence),
    Column("interest", "Interest", lambda r: r.stakeholder.interest),
    Column("health", "Health", lambda r: None if r.health is None else round(r.health)),
    Column("last", "Last contact", lambda r: r.due.last_contact),
    Column("overdue", "Days overdue", lambda r: r.due.overdue_days),
]


@person_required
def map_page(request: HttpRequest, person_id: int) -> HttpResponse:
    owner = visible_person(request.person, person_id)
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        try:
            s = services.do_add_stakeholder(owner, request.person, _posted(request))
        except Invalid as exc:
            errors = {exc.field or "form": exc.message}
            status = 400
        else:
            messages.success(request, f"Added {s.name} to the map.")
            return redirect("stakeholder_map", person_id=owner.id)
    rows = services.rows_for(owner)
    listing = apply(rows, STAKEHOLDER_COLUMNS, request.GET)
    if wants_csv(request):
        return csv_response(listing, "stakeholders")
    values = _posted(request) if errors else {"internal": "1", "stance": "neutral"}
    watched = sorted(
        (r for r in rows if r.health is not None), key=lambda r: -r.stakeholder.influence
    )[:5]
    return render(
        request,
        "stakeholders/map.html",
        {
            "subject": owner,
            "is_self": owner.id == request.person.id,
            "leader": is_leader(request.person),
            "rows": rows,
            "listing": listing,
            "chart": map_chart([r.stakeholder for r in rows]) if rows else "",
            "health_chart": health_chart([(r.stakeholder.name, r.trend) for r in watched])
            if watched
            else "",
            "suggestions": services.suggestions_for(owner),
            "errors": errors,
            "values": values,
            **_form_context(owner, values),
        },
        status=status,
    )


@person_required
def detail(request: HttpRequest, stakeholder_id: int) -> HttpResponse:
    s = _visible_stakeholder(request, stakeholder_id)
    errors: dict[str, str] = {}
    status = 200
    values: dict = {}
    if request.method == "POST":
        expect_version(s, posted_version(request))
        try:
            services.do_update_stakeholder(s, request.person, _posted(request))
        except Invalid as exc:
            errors = {exc.field or "form": exc.message}
            values, status = _posted(request), 400
            s.refresh_from_db()
        else:
            messages.success(request, "Saved.")
            return redirect("stakeholder_detail", stakeholder_id=s.id)
    return _detail(request, s, errors=errors, values=values, status=status)


def _detail(
    request: HttpRequest,
    s: Stakeholder,
    *,
    errors: dict | None = None,
    values: dict | None = None,
    log_values: dict | None = None,
    status: int = 200,
) -> HttpResponse:
    row = next(r for r in services.rows_for(s.owner) if r.stakeholder.id == s.id)
    if not values:
        values = {
            "name": s.name,
            "role": s.role,
            "internal": "1" if s.internal else "0",
            "person_id": str(s.person_id or ""),
            "company": s.company,
            "influence": str(s.influence),
            "interest": str(s.interest),
            "stance": s.stance,
            "cares_about": s.cares_about,
            "concerns": s.concerns,
            "cadence_days": str(s.cadence_days or ""),
            "product_ids": [p.id for p in s.products.all()],
            "initiative_ids": [i.id for i in s.initiatives.all()],
            "decision_ids": [d.id for d in s.decisions.all()],
        }
    return render(
        request,
        "stakeholders/detail.html",
        {
            "s": s,
            "subject": s.owner,
            "leader": is_leader(request.person),
            "row": row,
            "interactions": list(reversed(s.interactions.all())),
            "chart": health_chart(
                [(s.name, row.trend)], title=f"Health of the relationship with {s.name}"
            )
            if row.health is not None
            else "",
            "errors": errors or {},
            "values": values,
            "log": log_values
            or {"date": dt.date.today().isoformat(), "kind": "meeting", "tone": "0"},
            **_form_context(s.owner, values),
        },
        status=status,
    )


def _date(raw: str) -> dt.date:
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise Invalid("enter a date like 2026-12-31", field="date") from None


@require_POST
@person_required
def log_interaction(request: HttpRequest, stakeholder_id: int) -> HttpResponse:
    s = _visible_stakeholder(request, stakeholder_id)
    p = request.POST
    try:
        services.do_log_interaction(
            s,
            request.person,
            date=_date(p.get("date", "")),
            kind=p.get("kind", ""),
            note=p.get("note", ""),
            tone=p.get("tone", ""),
        )
    except Invalid as exc:
        return _detail(
            request, s, errors={exc.field or "form": exc.message}, log_values=p.dict(), status=400
        )
    messages.success(request, f"Logged the contact with {s.name}.")
    return redirect("stakeholder_detail", stakeholder_id=s.id)


@require_POST
@person_required
def delete(request: HttpRequest, stakeholder_id: int) -> HttpResponse:
    s = _visible_stakeholder(request, stakeholder_id)
    offer_undo(request, services.do_delete_stakeholder(s, request.person))
    messages.success(request, f"Removed {s.name} from the map.")
    return redirect("stakeholder_map", person_id=s.owner_id)


def _posted_sections(request: HttpRequest) -> list[dict]:
    p = request.POST
    count = int(p.get("count", "0") or 0) if (p.get("count", "0") or "0").isdigit() else 0
    return [
        {
            "key": p.get(f"key_{i}", ""),
            "heading": p.get(f"heading_{i}", ""),
            "body": p.get(f"body_{i}", ""),
        }
        for i in range(min(count, 40))
    ]


def _with_blocks(sections: list[dict]) -> list[dict]:
    """Sections with their text as blocks for the preview, and a text box tall enough."""
    return [
        {
            **s,
            "blocks": paragraphs(s.get("body", "")),
            "rows": min(max(len(s.get("body", "").splitlines()) + 1, 3), 18),
        }
        for s in sections
    ]


@person_required
def brief(request: HttpRequest, person_id: int) -> HttpResponse:
    person = visible_person(request.person, person_id)
    today = services.today()
    title = default_title(person, today)
    sections = assemble_brief(person, today, request.person)
    error = None
    status = 200
    if request.method == "POST":
        sections = _posted_sections(request)
        title = request.POST.get("title", "")
        try:
            saved = services.do_save_brief(person, request.person, title=title, sections=sections)
        except Invalid as exc:
            error, status = exc.message, 400
        else:
            messages.success(request, "Brief saved. Download it as a PDF to share it.")
            return redirect("saved_brief", brief_id=saved.id)
    return render(
        request,
        "stakeholders/brief.html",
        {
            "subject": person,
            "title": title,
            "sections": _with_blocks(sections),
            "saved": person.briefs.all()[:10],
            "error": error,
            "brief": None,
        },
        status=status,
    )


@person_required
def saved_brief(request: HttpRequest, brief_id: int) -> HttpResponse:
    b = _visible_brief(request, brief_id)
    error = None
    status = 200
    title, sections = b.title, b.sections
    if request.method == "POST":
        if request.POST.get("delete"):
            offer_undo(request, services.do_delete_brief(b, request.person))
            messages.success(request, "Brief deleted.")
            return redirect("brief", person_id=b.person_id)
        title, sections = request.POST.get("title", ""), _posted_sections(request)
        expect_version(b, posted_version(request))
        try:
            services.do_update_brief(b, request.person, title=title, sections=sections)
        except Invalid as exc:
            error, status = exc.message, 400
        else:
            messages.success(request, "Brief saved.")
            return redirect("saved_brief", brief_id=b.id)
    return render(
        request,
        "stakeholders/brief.html",
        {
            "subject": b.person,
            "title": title,
            "sections": _with_blocks(sections),
            "saved": b.person.briefs.all()[:10],
            "error": error,
            "brief": b,
        },
        status=status,
    )
