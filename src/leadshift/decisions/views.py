from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from leadshift.core.errors import Invalid
from leadshift.core.listing import Column, apply
from leadshift.core.lists import csv_response, wants_csv
from leadshift.core.versioning import expect_version, posted_version
from leadshift.decisions import forms, services
from leadshift.decisions import record as rec
from leadshift.decisions.models import Decision, DecisionLink
from leadshift.people.access import person_required, visible_owned, visible_person
from leadshift.people.models import Person
from leadshift.reports.charts import ReliabilityPoint, reliability_chart
from leadshift.undo.views import offer_undo


def visible_decision(viewer: Person, decision_id: int) -> Decision:
    return visible_owned(viewer, Decision, decision_id, "owner", "decision")


def _subject(request: HttpRequest) -> Person:
    raw = request.GET.get("person", "")
    return visible_person(request.person, int(raw)) if raw.isdigit() else request.person


def _state(d: Decision, today: date) -> str:
    if d.outcome:
        return "Reviewed"
    return "Review due" if d.review_due(today) else "Open"


def decision_columns(today: date) -> list[Column]:
    return [
        Column("question", "Decision", lambda d: d.question, search=True),
        Column("kind", "Kind", lambda d: d.get_kind_display(), facet=True),
        Column("state", "State", lambda d: _state(d, today), facet=True, sortable=False),
        Column("decided", "Decided", lambda d: d.decided_on),
        Column(
            "forecast",
            "Forecast (%)",
            lambda d: None if d.forecast is None else round(100 * d.forecast),
        ),
        Column("review", "Review", lambda d: d.review_on),
        Column(
            "outcome", "Outcome", lambda d: d.get_outcome_display() if d.outcome else "", facet=True
        ),
        Column("lesson", "Lesson", lambda d: d.lesson, search=True, sortable=False),
    ]


@person_required
def decision_list(request: HttpRequest) -> HttpResponse:
    subject = _subject(request)
    today = timezone.localdate()
    listing = apply(list(subject.decisions.all()), decision_columns(today), request.GET)
    if wants_csv(request):
        return csv_response(listing, "decisions")
    decisions = listing.rows
    # Every review that is due, whichever page: it is what the person came to act on.
    due = [d for d in listing.every_row() if d.review_due(today)]
    if not listing.sort:
        due.sort(key=lambda d: (d.review_on, d.id))
    return render(
        request,
        "decisions/list.html",
        {
            "subject": subject,
            "listing": listing,
            "due": due,
            "open": [d for d in decisions if not d.outcome and not d.review_due(today)],
            "reviewed": [d for d in decisions if d.outcome],
            "today": today,
        },
    )


def _form_context(request: HttpRequest, fields: dict[str, Any], **extra: Any) -> dict[str, Any]:
    people = (
        Person.objects.active()
        .filter(organisation_id=request.person.organisation_id)
        .order_by("name")
    )
    return {
        "f": fields,
        **forms.rows(fields),
        "kinds": Decision.Kind.choices,
        "targets": DecisionLink.Target.choices,
        "people": people,
        "link_choices": services.link_choices(request.person),
        "roles": [
            (role, label, set(fields.get(role, [])))
            for role, label in (
                ("decided_by", "Decided by"),
                ("consulted", "Consulted"),
                ("informed", "Informed"),
            )
        ],
        **extra,
    }


@person_required
def decision_new(request: HttpRequest) -> HttpResponse:
    slug = request.GET.get("template", "")
    if request.method == "POST":
        try:
            d = services.do_create_decision(request.person, forms.parse(request.POST))
        except Invalid as exc:
            ctx = _form_context(
                request, forms.from_post(request.POST), error=exc.message, error_field=exc.field
            )
            return render(request, "decisions/form.html", ctx, status=400)
        messages.success(request, "Decision recorded.")
        return redirect("decision_detail", decision_id=d.id)
    if not slug:
        return render(request, "decisions/start.html", {"starters": rec.STARTERS})
    data = (
        services.DecisionIn(question="") if slug == "blank" else services.input_from_starter(slug)
    )
    data.decided_on = timezone.localdate()
    if slug == "blank":
        # Filled in from elsewhere (the pivot radar's signals): nothing is saved until posted.
        data.question = request.GET.get("question", "")[:300]
        data.context = request.GET.get("context", "")
        if request.GET.get("kind") in Decision.Kind.values:
            data.kind = request.GET["kind"]
        for j in range(forms.LINK_ROWS):
            target, label = (request.GET.get(f"link-{k}-{j}", "") for k in ("target", "label"))
            if target in DecisionLink.Target.values and label:
                data.links.append((target, label[:300]))
    starter = rec.STARTER_BY_SLUG.get(slug)
    fields = forms.as_fields(data)
    if starter:
        fields["context_help"] = starter.context_prompt
    return render(request, "decisions/form.html", _form_context(request, fields, starter=starter))


@person_required
def decision_edit(request: HttpRequest, decision_id: int) -> HttpResponse:
    d = visible_decision(request.person, decision_id)
    if request.method == "POST":
        expect_version(d, posted_version(request))
        try:
            services.do_update_decision(d, request.person, forms.parse(request.POST))
        except Invalid as exc:
            ctx = _form_context(
                request,
                forms.from_post(request.POST),
                decision=d,
                error=exc.message,
                error_field=exc.field,
            )
            return render(request, "decisions/form.html", ctx, status=400)
        messages.success(request, "Decision saved.")
        return redirect("decision_detail", decision_id=d.id)
    fields = forms.as_fields(services.input_from(d))
    return render(request, "decisions/form.html", _form_context(request, fields, decision=d))


@person_required
def decision_detail(
    request: HttpRequest, decision_id: int, errors: dict | None = None, status: int = 200
) -> HttpResponse:
    d = visible_decision(request.person, decision_id)
    r = d.record()
    totals = [rec.weighted_total(r.criteria, o.scores) for o in r.options]
    order = rec.ranked(r.criteria, r.options)
    best = order[0] if order and totals[order[0]] is not None else None
    options = [
        {
            "name": o.name,
            "description": o.description,
            "scores": [o.scores[k] if k < len(o.scores) else None for k in range(len(r.criteria))],
            "total": totals[i],
            "chosen": i == r.chosen,
            "best": i == best,
        }
        for i, o in enumerate(r.options)
    ]
    return render(
        request,
        "decisions/detail.html",
        {
            "d": d,
            "r": r,
            "options": options,
            "today": timezone.localdate(),
            "outcomes": Decision.Outcome.choices,
            "errors": errors or {},
            "values": request.POST.dict() if errors else {},
        },
        status=status,
    )


@require_POST
@person_required
def decision_outcome(request: HttpRequest, decision_id: int) -> HttpResponse:
    d = visible_decision(request.person, decision_id)
    try:
        on = forms._date(request.POST.get("reviewed_on", ""), "reviewed_on")
        services.do_record_outcome(
            d,
            request.person,
            outcome=request.POST.get("outcome", ""),
            lesson=request.POST.get("lesson", ""),
            on=on,
        )
    except Invalid as exc:
        return decision_detail(
            request, decision_id, errors={"form": exc.message, "field": exc.field}, status=400
        )
    messages.success(request, "Outcome recorded. It now counts towards your calibration.")
    return redirect("decision_detail", decision_id=d.id)


@require_POST
@person_required
def decision_delete(request: HttpRequest, decision_id: int) -> HttpResponse:
    d = visible_decision(request.person, decision_id)
    offer_undo(request, services.do_delete_decision(d, request.person))
    messages.success(request, f"Deleted “{d.question}”.")
    return redirect("decision_list")


@person_required
def decision_markdown(request: HttpRequest, decision_id: int) -> HttpResponse:
    d = visible_decision(request.person, decision_id)
    resp = HttpResponse(rec.markdown(d.record()), content_type="text/markdown; charset=utf-8")
    resp["Content-Disposition"] = f'attachment; filename="decision-{d.id}.md"'
    return resp


def reliability_points(bins: list[dict]) -> list[ReliabilityPoint]:
    return [
        ReliabilityPoint(
            low=b["low"],
            high=b["high"],
            count=b["count"],
            mean_forecast=b["mean_forecast"],
            observed=b["observed"],
            interval=(b["interval"][0], b["interval"][1]),
        )
        for b in bins
    ]


def calibration_groups(data: dict) -> list[dict]:
    """Each group of `services.calibration` with its reliability chart and its lines."""
    return [
        {
            **g,
            "chart": reliability_chart(
                reliability_points(g["bins"]), title=f"{g['name']}: forecast against what happened"
            ),
            "lines": [b for b in g["bins"] if b["count"] and b["observed"] is not None],
        }
        for g in data["groups"]
    ]


@person_required
def calibration(request: HttpRequest) -> HttpResponse:
    subject = _subject(request)
    data = services.calibration(subject)
    groups = calibration_groups(data)
    return render(
        request,
        "decisions/calibration.html",
        {"subject": subject, "data": data, "overall": groups[:1], "kinds": groups[1:]},
    )
