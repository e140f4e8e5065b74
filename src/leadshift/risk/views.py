from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from leadshift.core.errors import Invalid
from leadshift.core.listing import Column
from leadshift.core.lists import list_page
from leadshift.core.versioning import expect_version, posted_version
from leadshift.people.models import Person, Team
from leadshift.planning.models import Scenario as PlanScenario
from leadshift.portfolio.models import Initiative, Objective, Product
from leadshift.risk import forms, services
from leadshift.risk.access import leader_required
from leadshift.risk.models import Risk, RiskDriver, Simulation
from leadshift.risk.presentation import register_context, simulation_context
from leadshift.undo.views import offer_undo


def _risk(request: HttpRequest, risk_id: int) -> Risk:
    return get_object_or_404(Risk, pk=risk_id, organisation_id=request.person.organisation_id)


RISK_COLUMNS = [
    Column("title", "Risk", lambda r: r.title, search=True),
    Column("hits", "Hits", lambda r: r.scope_label, search=True, facet=True),
    Column("likelihood", "Likelihood (%)", lambda r: round(100 * r.overall_probability)),
    Column("owner", "Owner", lambda r: r.owner.name if r.owner else "", search=True, facet=True),
    Column("mitigation", "Mitigation", lambda r: r.mitigation, search=True, sortable=False),
    Column("status", "Status", lambda r: r.get_status_display(), facet=True),
    Column("trigger", "Trigger", lambda r: r.trigger, search=True, sortable=False),
    Column("fired", "Trigger fired", lambda r: r.trigger_fired_on),
    Column("review", "Review", lambda r: r.review_on),
]


@leader_required
def register(request: HttpRequest) -> HttpResponse:
    context = register_context(request.person.organisation, services.today())
    return list_page(
        request, context["risks"], RISK_COLUMNS, "risk/register.html", context, "risks"
    )


def _form_context(request: HttpRequest, fields: dict[str, Any], **extra: Any) -> dict[str, Any]:
    org_id = request.person.organisation_id
    teams = list(Team.objects.filter(organisation_id=org_id, efforts__isnull=False).distinct())
    return {
        "f": fields,
        "scope_groups": [
            (
                label,
                [(f"{kind}:{x.id}", x.name) for x in model.objects.filter(organisation_id=org_id)],
            )
            for label, kind, model in (
                ("Initiatives", "initiative", Initiative),
                ("Products", "product", Product),
                ("Objectives", "objective", Objective),
            )
        ],
        "drivers": RiskDriver.objects.filter(organisation_id=org_id),
        "people": Person.objects.active().filter(organisation_id=org_id).order_by("name"),
        "teams": [(t, fields.get(f"effort-{t.id}", "")) for t in teams],
        "statuses": Risk.Status.choices,
        **extra,
    }


def _team_ids(request: HttpRequest) -> list[int]:
    return list(
        Team.objects.filter(organisation_id=request.person.organisation_id).values_list(
            "id", flat=True
        )
    )


@leader_required
def risk_new(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        try:
            services.do_save_risk(
                request.person.organisation,
                request.person,
                forms.parse(request.POST, _team_ids(request)),
            )
        except Invalid as exc:
            ctx = _form_context(
                request, request.POST.dict(), error=exc.message, error_field=exc.field
            )
            return render(request, "risk/form.html", ctx, status=400)
        messages.success(request, "Risk added to the register.")
        return redirect("risk_register")
    fields = {"status": "open", "scope": request.GET.get("scope", "")}
    return render(request, "risk/form.html", _form_context(request, fields))


@leader_required
def risk_edit(request: HttpRequest, risk_id: int) -> HttpResponse:
    risk = _risk(request, risk_id)
    if request.method == "POST":
        expect_version(risk, posted_version(request))
        try:
            services.do_save_risk(
                request.person.organisation,
                request.person,
                forms.parse(request.POST, _team_ids(request)),
                risk=risk,
            )
        except Invalid as exc:
            ctx = _form_context(
                request, request.POST.dict(), risk=risk, error=exc.message, error_field=exc.field
            )
            return render(request, "risk/form.html", ctx, status=400)
        messages.success(request, "Risk saved.")
        return redirect("risk_register")
    return render(
        request, "risk/form.html", _form_context(request, forms.as_fields(risk), risk=risk)
    )


@require_POST
@leader_required
def risk_trigger(request: HttpRequest, risk_id: int) -> HttpResponse:
    risk = _risk(request, risk_id)
    services.do_fire_trigger(risk, request.person)
    messages.success(request, f"Trigger of “{risk.title}” marked as fired: time to pivot.")
    return redirect("risk_register")


@require_POST
@leader_required
def risk_delete(request: HttpRequest, risk_id: int) -> HttpResponse:
    risk = _risk(request, risk_id)
    offer_undo(request, services.do_delete_risk(risk, request.person))
    messages.success(request, f"Removed “{risk.title}”.")
    return redirect("risk_register")


@require_POST
@leader_required
def driver_add(request: HttpRequest) -> HttpResponse:
    p = request.POST
    try:
        prob = forms.percent(p.get("driver_probability", ""), "driver_probability", "likelihood")
        if prob is None:
            raise Invalid(
                "likelihood: how likely is the driver, in percent?", field="driver_probability"
            )
        services.do_save_driver(
            request.person.organisation,
            request.person,
            name=p.get("driver_name", ""),
            probability=prob,
        )
    except Invalid as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Shared driver saved.")
    return redirect("risk_register")


@require_POST
@leader_required
def target_set(request: HttpRequest, objective_id: int) -> HttpResponse:
    objective = get_object_or_404(
        Objective, pk=objective_id, organisation_id=request.person.organisation_id
    )
    try:
        target = forms.number(request.POST.get("target", ""), "target", "target")
        services.do_set_target(objective, request.person, target)
    except Invalid as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Target of “{objective}” saved.")
    return redirect("risk_register")


# --- Simulations ---------------------------------------------------------------------------


@leader_required
def simulations(request: HttpRequest) -> HttpResponse:
    org = request.person.organisation
    error = None
    values = request.POST.dict() if request.method == "POST" else {}
    if request.method == "POST":
        p = request.POST
        try:
            scenario = None
            if p.get("scenario", "").isdigit():
                scenario = get_object_or_404(PlanScenario, pk=int(p["scenario"]), organisation=org)
            mitigation = None
            if p.get("mitigation_of", "").isdigit():
                mitigation = _risk(request, int(p["mitigation_of"]))
            trials = forms.number(p.get("trials", ""), "trials", "trials", 10_000)
            seed = forms.number(p.get("seed", ""), "seed", "seed", 0)
            if trials is None or trials != int(trials):
                raise Invalid("trials: enter a whole number", field="trials")
            if seed is None or seed != int(seed):
                raise Invalid("seed: enter a whole number", field="seed")
            sim = services.do_start_simulation(
                org,
                request.person,
                scenario=scenario,
                trials=int(trials),
                seed=int(seed),
                mitigation_of=mitigation,
                risk_adjusted=p.get("risk_adjusted") == "1",
            )
        except Invalid as exc:
            error = exc
        else:
            return redirect("simulation_detail", sim_id=sim.id)
    return render(
        request,
        "risk/simulations.html",
        {
            "runs": Simulation.objects.filter(organisation=org)[:20],
            "scenarios": PlanScenario.objects.filter(organisation=org),
            "mitigable": [
                r
                for r in Risk.objects.filter(organisation=org).exclude(status=Risk.Status.CLOSED)
                if r.mitigated_probability is not None or r.mitigated_impact != 1.0
            ],
            "error": error,
            "values": values,
        },
        status=400 if error else 200,
    )


def _sim(request: HttpRequest, sim_id: int) -> Simulation:
    return get_object_or_404(
        Simulation.objects.select_related("scenario", "mitigation_of"),
        pk=sim_id,
        organisation_id=request.person.organisation_id,
    )


@leader_required
def simulation_status(request: HttpRequest, sim_id: int) -> JsonResponse:
    sim = _sim(request, sim_id)
    return JsonResponse(
        {
            "status": sim.status,
            "done": sim.done,
            "total": sim.total,
            "percent": sim.percent,
            "stage": sim.stage,
            "trials": sim.trials,
        }
    )


@leader_required
def simulation_detail(request: HttpRequest, sim_id: int) -> HttpResponse:
    return render(request, "risk/simulation.html", simulation_context(_sim(request, sim_id)))
