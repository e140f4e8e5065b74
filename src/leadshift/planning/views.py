from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models.fields.json import KeyTextTransform, KeyTransform
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from leadshift.core.errors import Invalid, NotFound
from leadshift.core.html import options
from leadshift.core.versioning import expect_version, posted_version
from leadshift.people.access import person_required
from leadshift.people.models import Team
from leadshift.planning import services
from leadshift.planning.models import Run, Scenario, Sweep
from leadshift.planning.presentation import METHOD_NAMES, RULE_NAMES, plan_view, sweep_view
from leadshift.portfolio.access import is_leader, leader_required
from leadshift.portfolio.models import HORIZON_CHOICES, Initiative, Period
from leadshift.undo.views import offer_undo


def _scenario(request: HttpRequest, scenario_id: int) -> Scenario:
    return get_object_or_404(
        Scenario, pk=scenario_id, organisation_id=request.person.organisation_id
    )


def _run(request: HttpRequest, run_id: int) -> Run:
    return get_object_or_404(
        Run.objects.select_related("scenario"),
        pk=run_id,
        scenario__organisation_id=request.person.organisation_id,
    )


def _float(raw: str | None, field: str, default: float | None = None) -> float | None:
    raw = (raw or "").strip()
    if not raw:
        return default
    try:
        return float(raw)
    except ValueError:
        raise Invalid(f"enter a number, not {raw!r}", field=field) from None


def plan_context(run: Run | None, request: HttpRequest | None = None) -> dict[str, Any]:
    """A page passes its request: a large plan is then summarised unless ?plan=whole asks
    for all of it (reports and PDFs show all of it)."""
    if run is None or run.result is None:
        return {"view": None}
    whole = request is None or request.GET.get("plan") == "whole"
    view = plan_view(run.result, run.document.get("portfolio", {}), run.baselines, whole=whole)
    return {
        "view": view,
        "whole_url": f"{request.path}?plan=whole" if request else "",
        "rule_names": RULE_NAMES,
        "method_names": METHOD_NAMES,
        "notes": run.document.get("notes", []),
    }


@leader_required
def home(request: HttpRequest, error: str = "", status: int = 200) -> HttpResponse:
    org = request.person.organisation
    scenarios = list(Scenario.objects.filter(organisation=org))
    rows = []
    for s in scenarios:
        last = s.runs.filter(method="optimal").first()
        rows.append({"scenario": s, "run": last})
    return render(
        request,
        "planning/home.html",
        {"rows": rows, "scenarios": scenarios, "error": error, "values": request.POST},
        status=status,
    )


@require_POST
@leader_required
def scenario_create(request: HttpRequest) -> HttpResponse:
    org = request.person.organisation
    copy_from = None
    if request.POST.get("copy_from"):
        copy_from = get_object_or_404(Scenario, pk=request.POST["copy_from"], organisation=org)
    try:
        s = services.do_create_scenario(
            org,
            request.person,
            name=request.POST.get("name", ""),
            description=request.POST.get("description", ""),
            copy_from=copy_from,
        )
    except Invalid as exc:
        return home(request, error=exc.message, status=400)
    messages.success(request, f"Created the scenario “{s.name}”. Change what differs, then run it.")
    return redirect("planning_scenario", scenario_id=s.id)


@leader_required
def scenario_detail(
    request: HttpRequest, scenario_id: int, error: str = "", status: int = 200
) -> HttpResponse:
    scenario = _scenario(request, scenario_id)
    org = request.person.organisation
    latest = scenario.runs.only("id", "status", "scenario_id").first()
    finished = scenario.runs.filter(status="done").first()
    # A run's document and result are the whole portfolio (megabytes at 5,000 initiatives):
    # the list of runs reads two values out of each in the database instead.
    runs = scenario.runs.defer("document", "result", "baselines", "progress").annotate(
        outcome=KeyTextTransform("status", "result"), value=KeyTransform("objective", "result")
    )
    return render(
        request,
        "planning/scenario.html",
        {
            "scenario": scenario,
            "capacities": scenario.capacities.select_related("team", "period"),
            "rules": scenario.rules.select_related("initiative"),
            "teams": Team.objects.filter(organisation=org),
            "periods": Period.objects.filter(organisation=org),
            "initiative_options": options(
                Initiative.objects.filter(organisation=org).values_list("id", "name")
            ),
            "horizons": HORIZON_CHOICES,
            "mix_values": {
                h: round(100 * scenario.horizon_target.get(h, 0)) for h, _ in HORIZON_CHOICES
            },
            "runs": runs[:10],
            "sweeps": scenario.sweeps.all()[:10],
            "latest": latest,
            "running": latest is not None and latest.status in ("queued", "running"),
            "run": finished,
            "error": error,
            "values": request.POST,
            **plan_context(finished, request),
            # Also when the page answers a form posted to another address.
            "whole_url": reverse("planning_scenario", args=[scenario.id]) + "?plan=whole",
        },
        status=status,
    )


def _scenario_action(request: HttpRequest, scenario_id: int, fn: Any, note: str) -> HttpResponse:
    scenario = _scenario(request, scenario_id)
    try:
        fn(scenario)
    except Invalid as exc:
        return scenario_detail(request, scenario_id, error=exc.message, status=400)
    messages.success(request, note)
    return redirect("planning_scenario", scenario_id=scenario.id)


@require_POST
@leader_required
def scenario_capacity(request: HttpRequest, scenario_id: int) -> HttpResponse:
    org = request.person.organisation

    def fn(s: Scenario) -> None:
        team = get_object_or_404(Team, pk=request.POST.get("team") or 0, organisation=org)
        period = get_object_or_404(Period, pk=request.POST.get("period") or 0, organisation=org)
        services.do_set_scenario_capacity(
            s,
            request.person,
            team=team,
            period=period,
            person_weeks=_float(request.POST.get("person_weeks"), "person_weeks"),
        )

    return _scenario_action(request, scenario_id, fn, "Saved the capacity change.")


@require_POST
@leader_required
def scenario_rule(request: HttpRequest, scenario_id: int) -> HttpResponse:
    org = request.person.organisation

    def fn(s: Scenario) -> None:
        item = get_object_or_404(
            Initiative, pk=request.POST.get("initiative") or 0, organisation=org
        )
        services.do_set_scenario_rule(
            s, request.person, initiative=item, rule=request.POST.get("rule", "")
        )

    return _scenario_action(request, scenario_id, fn, "Saved the rule.")


@require_POST
@leader_required
def scenario_mix(request: HttpRequest, scenario_id: int) -> HttpResponse:
    def fn(s: Scenario) -> None:
        expect_version(s, posted_version(request))
        target = {}
        for h, _ in HORIZON_CHOICES:
            v = _float(request.POST.get(f"mix-{h}"), f"mix-{h}")
            if v:
                target[h] = v
        services.do_set_scenario_mix(
            s,
            request.person,
            override=request.POST.get("override") == "on",
            target=target,
            tolerance=_float(request.POST.get("tolerance"), "tolerance", 10.0) or 0.0,
            basis=request.POST.get("basis", "effort"),
        )

    return _scenario_action(request, scenario_id, fn, "Saved the scenario's horizon mix.")


@require_POST
@leader_required
def scenario_run(request: HttpRequest, scenario_id: int) -> HttpResponse:
    scenario = _scenario(request, scenario_id)
    try:
        run = services.do_start_run(
            scenario,
            request.person,
            method="optimal",
            time_limit=_float(request.POST.get("time_limit"), "time_limit", 10.0) or 10.0,
            gap=(_float(request.POST.get("gap"), "gap", 0.01) or 0.0) / 100.0,
        )
    except Invalid as exc:
        return scenario_detail(request, scenario_id, error=exc.message, status=400)
    return redirect("planning_run", run_id=run.id)


@require_POST
@leader_required
def scenario_adopt(request: HttpRequest, scenario_id: int) -> HttpResponse:
    return _scenario_action(
        request,
        scenario_id,
        lambda s: services.do_adopt(s, request.person),
        "Adopted as the plan of record. Everyone in the organisation can now see it.",
    )


@require_POST
@leader_required
def scenario_delete(request: HttpRequest, scenario_id: int) -> HttpResponse:
    scenario = _scenario(request, scenario_id)
    try:
        offer_undo(request, services.do_delete_scenario(scenario, request.person))
    except Invalid as exc:
        return scenario_detail(request, scenario_id, error=exc.message, status=400)
    messages.success(request, f"Deleted the scenario “{scenario.name}”.")
    return redirect("planning_home")


@leader_required
def run_detail(request: HttpRequest, run_id: int) -> HttpResponse:
    run = _run(request, run_id)
    return render(
        request,
        "planning/run.html",
        {
            "run": run,
            "scenario": run.scenario,
            "status": services.run_status(run),
            "running": run.status in ("queued", "running"),
            **plan_context(run, request),
        },
    )


@leader_required
def run_status(request: HttpRequest, run_id: int) -> JsonResponse:
    return JsonResponse(services.run_status(_run(request, run_id)))


@leader_required
def compare(request: HttpRequest) -> HttpResponse:
    org = request.person.organisation
    scenarios = list(Scenario.objects.filter(organisation=org))
    picked = []
    for key in ("a", "b"):
        raw = request.GET.get(key, "")
        if raw.isdigit():
            s = get_object_or_404(Scenario, pk=int(raw), organisation=org)
            run = s.runs.filter(status="done", method="optimal").first()
            solving = run is None and s.runs.filter(status__in=("queued", "running")).exists()
            picked.append({"scenario": s, "run": run, "solving": solving, **plan_context(run)})
    diff = None
    if len(picked) == 2 and all(p["view"] for p in picked):
        a_ids = {x["id"] for x in picked[0]["view"].result["selected"]}
        b_ids = {x["id"] for x in picked[1]["view"].result["selected"]}
        a_start = {x["id"]: x["start"] for x in picked[0]["view"].result["selected"]}
        b_start = {x["id"]: x["start"] for x in picked[1]["view"].result["selected"]}
        diff = {
            "only_a": sorted(a_ids - b_ids),
            "only_b": sorted(b_ids - a_ids),
            "moved": sorted(
                (i, a_start[i], b_start[i]) for i in a_ids & b_ids if a_start[i] != b_start[i]
            ),
            "value": (picked[1]["view"].result["objective"] or 0)
            - (picked[0]["view"].result["objective"] or 0),
        }
    return render(
        request,
        "planning/compare.html",
        {"scenarios": scenarios, "picked": picked, "diff": diff, "get": request.GET},
    )


@person_required
def plan_of_record(request: HttpRequest) -> HttpResponse:
    """The adopted plan, read-only: for everyone in the organisation."""
    scenario = services.plan_of_record(request.person.organisation, request.person)
    run = scenario.adopted_run if scenario else None
    if scenario is None and not is_leader(request.person):
        raise Http404("No plan of record yet")
    return render(
        request,
        "planning/plan_of_record.html",
        {
            "scenario": scenario,
            "run": run,
            "leader": is_leader(request.person),
            "planning_url": reverse("planning_home"),
            **plan_context(run, request),
        },
    )


# --- Sweeps --------------------------------------------------------------------------


def _sweep(request: HttpRequest, sweep_id: int) -> Sweep:
    return get_object_or_404(
        Sweep.objects.select_related("scenario"),
        pk=sweep_id,
        organisation_id=request.person.organisation_id,
    )


@require_POST
@leader_required
def scenario_sweep(request: HttpRequest, scenario_id: int) -> HttpResponse:
    scenario = _scenario(request, scenario_id)
    upload = request.FILES.get("file")
    try:
        if upload is not None:
            text, name = upload.read().decode("utf-8", errors="replace"), upload.name or "sweep"
        else:
            text, name = request.POST.get("sweep", ""), "sweep"
        sweep = services.do_start_sweep(scenario, request.person, text, filename=name)
    except Invalid as exc:
        return scenario_detail(request, scenario_id, error=exc.message, status=400)
    return redirect("planning_sweep", sweep_id=sweep.id)


@leader_required
def sweep_detail(request: HttpRequest, sweep_id: int) -> HttpResponse:
    sweep = _sweep(request, sweep_id)
    return render(
        request,
        "planning/sweep.html",
        {
            "sweep": sweep,
            "running": sweep.status in ("queued", "running"),
            "view": sweep_view(sweep.spec, sweep.result) if sweep.result else None,
        },
    )


@leader_required
def sweep_status(request: HttpRequest, sweep_id: int) -> JsonResponse:
    return JsonResponse(services.sweep_status(_sweep(request, sweep_id)))


@require_POST
@leader_required
def sweep_to_scenario(request: HttpRequest, sweep_id: int, index: int) -> HttpResponse:
    sweep = _sweep(request, sweep_id)
    try:
        s = services.do_scenario_from_variant(sweep, index, request.person)
    except NotFound:
        raise Http404("No such variant") from None
    except Invalid as exc:
        messages.error(request, exc.message)
        return redirect("planning_sweep", sweep_id=sweep.id)
    messages.success(request, f"Created the scenario “{s.name}” from the variant.")
    return redirect("planning_scenario", scenario_id=s.id)
