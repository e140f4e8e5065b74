from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from leadshift.core.closing import parse_closing_date
from leadshift.core.errors import Invalid, NotFound
from leadshift.outbox.delivery import describe
from leadshift.people.access import person_required
from leadshift.people.models import Person
from leadshift.pulse import services
from leadshift.pulse.items import ITEMS, SCALE_LABELS
from leadshift.pulse.models import Cadence, Pulse
from leadshift.pulse.trend import results_context, trend_context


def _pulse(request: HttpRequest, pulse_id: int) -> Pulse:
    services.release_due()
    try:
        return services.visible_pulse(request.person, pulse_id)
    except NotFound:
        raise Http404("No such pulse") from None


@person_required
def index(request: HttpRequest) -> HttpResponse:
    services.release_due()
    me: Person = request.person
    pulses = list(services.visible_pulses(me))
    error = None
    if request.method == "POST":
        try:
            pulse = services.do_send_pulse(
                me,
                closes_on=parse_closing_date(request.POST.get("closes_on", "")),
                cadence=request.POST.get("cadence", Cadence.QUARTERLY),
                base_url=request.build_absolute_uri("/").rstrip("/"),
            )
        except Invalid as exc:
            error = exc.message
        else:
            n = pulse.respondents.count()
            messages.success(
                request,
                f"Pulse sent: each of {n} people got a personal link that only they receive. "
                + describe(n, request, private=True).text,
            )
            return redirect("pulse_detail", pulse_id=pulse.id)
    mine = [p for p in pulses if p.leader_id == me.id]
    return render(
        request,
        "pulse/index.html",
        {
            "mine": mine,
            "below": [p for p in pulses if p.leader_id != me.id],
            "open": next((p for p in mine if p.is_open), None),
            "audience": len(services.audience(me)),
            "threshold": services.threshold_of(me),
            "cadences": Cadence.choices,
            "closes_on": request.POST.get("closes_on")
            or (timezone.localdate() + dt.timedelta(days=10)).isoformat(),
            "next_due": mine[0].next_due_on if mine else None,
            "error": error,
            "trend": trend_context(me),
        },
        status=400 if error else 200,
    )


@person_required
def detail(request: HttpRequest, pulse_id: int) -> HttpResponse:
    pulse = _pulse(request, pulse_id)
    context: dict[str, Any] = {"pulse": pulse, "counts": services.answer_count(pulse)}
    if not pulse.is_open:
        try:
            context.update(results_context(services.result_data(pulse)))
        except services.Withheld as exc:
            context["withheld"] = exc.message
        context["trend"] = trend_context(pulse.leader)
    return render(request, "pulse/detail.html", context)


@require_POST
@person_required
def close(request: HttpRequest, pulse_id: int) -> HttpResponse:
    pulse = _pulse(request, pulse_id)
    try:
        services.do_close(pulse, request.person)
    except Invalid as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "The pulse is closed and its results are released.")
    return redirect("pulse_detail", pulse_id=pulse.id)


# --- the respondent's page: no account, only the link -------------------------------------


def _posted(request: HttpRequest) -> services.AnswersIn:
    scores: dict[str, int | None] = {}
    for item in ITEMS:
        raw = request.POST.get(f"score_{item.id}", "")
        if raw and not raw.isdigit():
            raise Invalid(f"{item.name}: choose one of the five answers", field=item.id)
        scores[item.id] = int(raw) if raw else None
    return services.AnswersIn(scores, request.POST.get("comment", ""))


@never_cache
def answer(request: HttpRequest, token: str) -> HttpResponse:
    try:
        respondent = services.respondent_for_token(token)
    except NotFound as exc:
        return render(request, "pulse/link_problem.html", {"message": exc.message}, status=404)
    pulse = respondent.pulse
    error = None
    if request.method == "POST":
        try:
            services.do_answer(respondent, _posted(request))
        except Invalid as exc:
            error = exc.message
        else:
            messages.success(request, "Thank you: your answers are in, kept without your name.")
            return redirect("pulse_answer", token=token)
    posted = request.POST if request.method == "POST" else {}
    return render(
        request,
        "pulse/answer.html",
        {
            "pulse": pulse,
            "leader": pulse.leader,
            "answered": respondent.answered,
            "open": pulse.accepts_answers(),
            "questions": [
                {"item": item, "selected": posted.get(f"score_{item.id}", "")} for item in ITEMS
            ],
            "scale": sorted(SCALE_LABELS.items()),
            "comment": posted.get("comment", ""),
            "threshold": services.threshold_of(pulse.leader),
            "error": error,
        },
        status=400 if error else 200,
    )
