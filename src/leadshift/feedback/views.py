from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from leadshift.behaviours.checklist import RULE, checklist_items
from leadshift.core.closing import parse_closing_date
from leadshift.core.errors import Invalid, NotAllowed, NotFound
from leadshift.core.listing import Column
from leadshift.core.lists import apply_queryset, csv_response, listed, wants_csv
from leadshift.feedback import services
from leadshift.feedback.anonymity import GROUP_LABELS
from leadshift.feedback.models import Cycle, Relationship
from leadshift.feedback.team import common_gaps, team_columns, team_overview
from leadshift.outbox.delivery import describe
from leadshift.people.access import person_required, visible_person
from leadshift.people.models import Person

RATER_ROWS = 8
MAX_RATER_ROWS = 200
CLAIM_COOKIE = "ls_rater_{}"


def _base(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _cycle(request: HttpRequest, cycle_id: int) -> Cycle:
    try:
        cycle = services.visible_cycle(request.person, cycle_id)
    except NotFound:
        raise Http404("No such feedback cycle") from None
    return services.release_if_due(cycle)


@person_required
def index(request: HttpRequest) -> HttpResponse:
    services.release_due()
    me = request.person
    cycles = list(services.visible_cycles(me))
    return render(
        request,
        "feedback/index.html",
        {
            "mine": [c for c in cycles if c.subject_id == me.id],
            "team": [c for c in cycles if c.subject_id != me.id],
            "counts": {c.id: services.answer_counts(c) for c in cycles if c.is_open},
        },
    )


def _row_count(data: Any) -> int:
    """Rows on the raters' form: eight, more on asking, or as many as were posted."""
    posted = [int(k[5:]) for k in data if k.startswith("name_") and k[5:].isdigit()]
    asked = str(data.get("rows", ""))
    wanted = max([RATER_ROWS, *posted, int(asked) if asked.isdigit() else 0])
    return min(wanted, MAX_RATER_ROWS)


def _posted_raters(posted: Any, n: int) -> list[dict[str, str]]:
    return [
        {
            "name": posted.get(f"name_{i}", ""),
            "email": posted.get(f"email_{i}", ""),
            "relationship": posted.get(f"relationship_{i}", "peer"),
        }
        for i in range(1, n + 1)
    ]


def _invited_message(request: HttpRequest, cycle: Cycle, before: int = 0) -> str:
    raters = list(cycle.raters.all())[before:]
    home = sum(1 for r in raters if r.person_id is not None)
    mailed = len(raters) - home
    parts = []
    if mailed:
        parts.append(f"{mailed} by e-mail, each with a personal link that only they receive")
    if home:
        parts.append(f"{home} in their own LeadShift home, under “Feedback asked of you”")
    # Colleagues get a notice without a link by e-mail too: say where every message went.
    where = describe(len(raters), request, private=bool(mailed)).text if raters else ""
    return "Invitations sent: " + "; ".join(parts) + ". " + where


_parse_date = parse_closing_date


@person_required
def new(request: HttpRequest) -> HttpResponse:
    me = request.person
    people = list(Person.objects.visible_to(me).active())
    posted = request.POST if request.method == "POST" else None
    subject_id = (posted or request.GET).get("person") or str(me.id)
    error = None
    n_rows = _row_count(posted or request.GET)
    rows: list[dict[str, str]] = []
    if posted is not None:
        rows = _posted_raters(posted, n_rows)
        try:
            subject = visible_person(me, int(subject_id)) if subject_id.isdigit() else None
            if subject is None:
                raise Invalid("choose whom the feedback is for", field="person")
            cycle = services.do_open_cycle(
                subject,
                me,
                closes_on=_parse_date(posted.get("closes_on", "")),
                raters=[services.RaterIn(r["name"], r["email"], r["relationship"]) for r in rows],
                base_url=_base(request),
            )
        except (Invalid, NotFound) as exc:
            error = exc.message
        else:
            # No link is shown here: each reaches its rater alone.
            messages.success(request, _invited_message(request, cycle))
            return redirect("feedback_cycle", cycle_id=cycle.id)
    else:
        rows = [{"name": "", "email": "", "relationship": "peer"} for _ in range(n_rows)]
        rows[0]["relationship"] = "manager"
    default_close = timezone.localdate() + dt.timedelta(days=14)
    return render(
        request,
        "feedback/new.html",
        {
            "people": people,
            "subject_id": int(subject_id) if subject_id.isdigit() else me.id,
            "rows": rows,
            "more_rows": min(len(rows) + RATER_ROWS, MAX_RATER_ROWS),
            "relationships": Relationship.choices,
            "closes_on": (posted or {}).get("closes_on") or default_close.isoformat(),
            "error": error,
        },
        status=400 if error else 200,
    )


@person_required
def detail(request: HttpRequest, cycle_id: int) -> HttpResponse:
    cycle = _cycle(request, cycle_id)
    return render(
        request,
        "feedback/cycle.html",
        {
            "cycle": cycle,
            "counts": services.answer_counts(cycle),
            "is_self": cycle.subject_id == request.person.id,
            "extend_min": (cycle.closes_at + dt.timedelta(days=1)).date().isoformat(),
            "new_rows": [{"name": "", "email": "", "relationship": "peer"}] * 3,
            "relationships": Relationship.choices,
        },
    )


@require_POST
@person_required
def add_raters(request: HttpRequest, cycle_id: int) -> HttpResponse:
    cycle = _cycle(request, cycle_id)
    before = cycle.raters.count()
    rows = _posted_raters(request.POST, _row_count(request.POST))
    try:
        services.do_add_raters(
            cycle,
            request.person,
            [services.RaterIn(r["name"], r["email"], r["relationship"]) for r in rows],
            base_url=_base(request),
        )
    except Invalid as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _invited_message(request, cycle, before))
    return redirect("feedback_cycle", cycle_id=cycle.id)


@require_POST
@person_required
def resend(request: HttpRequest, cycle_id: int) -> HttpResponse:
    cycle = _cycle(request, cycle_id)
    email = request.POST.get("email", "")
    try:
        services.do_resend_invitation(cycle, request.person, email, base_url=_base(request))
    except Invalid as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            f"A fresh invitation went to {email.strip()} alone; their earlier link no longer works.",
        )
    return redirect("feedback_cycle", cycle_id=cycle.id)


@person_required
def asked(request: HttpRequest) -> HttpResponse:
    return render(request, "feedback/asked.html", {"asked": services.asked_of(request.person)})


@require_POST
@person_required
def open_form(request: HttpRequest, rater_id: int) -> HttpResponse:
    """The signed-in rater's way to their form: a link made now, for this browser alone."""
    try:
        opened = services.do_open_form(request.person, rater_id)
    except NotFound:
        raise Http404("No such feedback form") from None
    return redirect("feedback_rate", token=opened.token)


def _set_claim(response: HttpResponse, rater: Any, claim: str, path: str) -> None:
    response.set_cookie(
        CLAIM_COOKIE.format(rater.pk),
        claim,
        expires=rater.cycle.link_expires_at,
        httponly=True,
        samesite="Lax",
        path=path,
    )


@require_POST
@person_required
def remind(request: HttpRequest, cycle_id: int) -> HttpResponse:
    cycle = _cycle(request, cycle_id)
    try:
        n = services.do_remind(cycle, request.person, base_url=_base(request))
    except Invalid as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            f"Reminder sent to {n} rater{'s' if n != 1 else ''} who have not answered yet. "
            + describe(n, request, private=True).text
            if n
            else "Everyone has answered; no reminder needed.",
        )
    return redirect("feedback_cycle", cycle_id=cycle.id)


@require_POST
@person_required
def extend(request: HttpRequest, cycle_id: int) -> HttpResponse:
    cycle = _cycle(request, cycle_id)
    try:
        services.do_extend(cycle, request.person, _parse_date(request.POST.get("closes_on", "")))
    except Invalid as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"The cycle now closes on {cycle.closes_at:%d %B %Y}.")
    return redirect("feedback_cycle", cycle_id=cycle.id)


@require_POST
@person_required
def close(request: HttpRequest, cycle_id: int) -> HttpResponse:
    cycle = _cycle(request, cycle_id)
    try:
        services.do_close_and_release(cycle, request.person)
    except Invalid as exc:
        messages.error(request, exc.message)
        return redirect("feedback_cycle", cycle_id=cycle.id)
    messages.success(request, "The cycle is closed and its results are released.")
    return redirect("feedback_results", cycle_id=cycle.id)


def results_context(data: dict[str, Any]) -> dict[str, Any]:
    groups = [g for g in data["groups"] if g["id"] != "manager"]
    has_manager = any(g["id"] == "manager" for g in data["groups"])
    rows = []
    for c in data["capabilities"]:
        rows.append(
            {
                **c,
                "manager": c["cells"].get("manager"),
                "group_cells": [c["cells"].get(g["id"]) for g in groups],
            }
        )
    by_id = {c["id"]: c for c in data["capabilities"]}
    return {
        "data": data,
        "groups": groups,
        "has_manager": has_manager,
        "rows": rows,
        "blind_spots": [by_id[c] for c in data["blind_spots"]],
        "hidden_strengths": [by_id[c] for c in data["hidden_strengths"]],
        "answered": [{"label": GROUP_LABELS[g], "n": n} for g, n in data["answered"].items() if n],
        "commented": [c for c in data["capabilities"] if c["comments"]],
    }


@person_required
def results(request: HttpRequest, cycle_id: int) -> HttpResponse:
    cycle = _cycle(request, cycle_id)
    if cycle.is_open:
        messages.info(request, "The results are released when the cycle closes.")
        return redirect("feedback_cycle", cycle_id=cycle.id)
    context = results_context(services.result_data(cycle))
    context.update({"cycle": cycle, "is_self": cycle.subject_id == request.person.id})
    return render(request, "feedback/results.html", context)


HEATMAP_COLUMNS = [
    Column("name", "Person", lambda p: p.name, search=True, field="name"),
    Column(
        "team",
        "Team",
        lambda p: p.team.name if p.team else "",
        search=True,
        facet=True,
        field="team__name",
    ),
]


@person_required
def team(request: HttpRequest) -> HttpResponse:
    viewer = request.person
    if wants_csv(request):
        # The export is the whole heatmap, estimates and verdicts of everyone who matches.
        everyone = team_overview(viewer)
        return csv_response(
            listed(everyone.rows, team_columns(everyone), request.GET), "team-heatmap"
        )
    people = (
        Person.objects.visible_to(viewer)
        .exclude(pk=viewer.pk)
        .select_related("team")
        .order_by("name")
    )
    # A page of people is read, estimated and drawn; the common gaps are everyone's.
    listing = apply_queryset(people, HEATMAP_COLUMNS, request.GET)
    overview = team_overview(viewer, people=listing.rows)
    return render(
        request,
        "feedback/team.html",
        {
            "overview": overview,
            "gaps": common_gaps(viewer),
            "listing": listing,
            "chart": overview.chart() if overview.rows else "",
        },
    )


# --- the rater's page: no account, only the link -------------------------------------------


def _rater_answers(request: HttpRequest, fw: Any) -> dict[str, services.AnswerIn]:
    answers = {}
    for cap in fw.capabilities:
        raw = request.POST.get(f"level_{cap.id}", "")
        ticked = tuple(request.POST.getlist(f"behaviour_{cap.id}"))
        comment = request.POST.get(f"comment_{cap.id}", "")
        if ticked and raw == "cant_say":
            raise Invalid(
                f"{cap.name}: tick what you have seen or “not observed”, not both", field=cap.id
            )
        if ticked:
            # The level follows from the ticks by the checklist rule (in the service).
            answers[cap.id] = services.AnswerIn(None, comment, ticked)
        elif raw == "cant_say":
            answers[cap.id] = services.AnswerIn(None, comment)
        elif raw.isdigit():
            answers[cap.id] = services.AnswerIn(int(raw), comment)
        elif raw:
            raise Invalid(f"{cap.name}: tick what you have seen or “not observed”", field=cap.id)
        elif comment.strip():
            raise Invalid(
                f"{cap.name}: tick what you have seen (or “not observed”) for your comment",
                field=cap.id,
            )
    return answers


@never_cache
def rate(request: HttpRequest, token: str) -> HttpResponse:
    try:
        rater = services.rater_for_token(token)
    except NotFound as exc:
        return render(request, "feedback/link_problem.html", {"message": exc.message}, status=404)
    cycle = rater.cycle
    fw = cycle.framework.data
    cookie = CLAIM_COOKIE.format(rater.pk)
    claim = request.COOKIES.get(cookie)
    mine = services.claim_matches(rater, claim)
    error = None
    new_claim = None
    if request.method == "POST" and request.POST.get("go") == "fresh_link":
        try:
            services.do_send_fresh_link(rater, claim=claim, base_url=_base(request))
        except Invalid as exc:
            error = exc.message
        else:
            return render(
                request,
                "feedback/link_problem.html",
                {
                    "message": (
                        "A fresh invitation is on its way to your e-mail. This link no longer "
                        "works."
                    ),
                    "sent": True,
                    "delivery": describe(rater.email, request, private=True),
                },
            )
    elif request.method == "POST":
        submit = request.POST.get("go") == "submit"
        try:
            answers = _rater_answers(request, fw)
            new_claim = services.do_save_answers(rater, answers, submit=submit, claim=claim)
        except (Invalid, NotAllowed) as exc:
            error = exc.message
        else:
            response = redirect("feedback_rate", token=token)
            if new_claim:
                _set_claim(response, rater, new_claim, request.path)
            messages.success(
                request,
                "Thank you: your feedback is sent. You can change it until the cycle closes."
                if submit
                else "Saved. Come back with the same link to finish before the cycle closes.",
            )
            return response
    saved = services.saved_answers(rater) if mine else {}
    posted = request.POST if request.method == "POST" else None
    questions = []
    for cap in fw.capabilities:
        a = saved.get(cap.id)
        if posted is not None:
            sel = posted.get(f"level_{cap.id}", "")
            ticked = set(posted.getlist(f"behaviour_{cap.id}"))
            comment = posted.get(f"comment_{cap.id}", "")
        else:
            sel = "" if a is None else ("cant_say" if a.level is None else str(a.level))
            ticked = set(a.behaviours) if a else set()
            comment = a.comment if a else ""
        questions.append(
            {
                "cap": cap,
                "not_observed": sel == "cant_say",
                "checklist": checklist_items(cap, ticked),
                "comment": comment,
            }
        )
    return render(
        request,
        "feedback/rate.html",
        {
            "rater": rater,
            "cycle": cycle,
            "subject": cycle.subject,
            "questions": questions,
            "open": cycle.accepts_answers(),
            "mine": mine,
            "error": error,
            "threshold": cycle.subject.organisation.anonymity_threshold,
            "relationship": rater.get_relationship_display().lower(),
            "rule": RULE,
        },
        status=400 if error else 200,
    )
