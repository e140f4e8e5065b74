"""The optimiser: maximise objective-weighted value under every rule, with HiGHS.

How it gets there within the time limit:

1. **Warm start**: the best of the three score-and-sort plans (they keep every rule).
2. **LP relaxation** of the time-indexed formulation (see ``model``): its optimum is the
   upper bound the gap is measured against, its capacity duals are the marginal values, and
   its solution guides a rounding: initiatives taken in decreasing LP value (ties by value
   per effort), each at its LP-preferred start when that still fits; then the horizon mix is
   repaired and the rest filled. The better of that and the warm start is the first incumbent.
3. **Local search** (``localsearch``) polishes it: initiatives left out are placed where they
   fit, or where they fit once cheaper ones are moved or taken out, and the space freed is
   refilled. It runs again, near the teams that changed, after every sub-MIP improvement.
4. Small portfolios (up to ``FULL_MIP_COLUMNS`` binaries) go to HiGHS's branch and bound
   whole, started from the incumbent (from ``WARM_SEARCH_COLUMNS`` binaries, after at most
   ``HEURISTIC_SECONDS`` of neighbourhood search, however long the time limit): it proves
   optimality or the requested gap. Up to ``STEP_FORM_PERIODS`` periods the tree also gets
   cumulative start variables (``steps``), which prove the same optimum in far fewer nodes.
5. Large ones use **large-neighbourhood search** (``neighbourhoods``): every initiative is
   fixed to the incumbent except a neighbourhood (the initiatives of a cluster of teams where
   the incumbent loses value against the LP, or where LP and incumbent disagree), and HiGHS
   solves that sub-problem with the incumbent as its start. After a quarter of the time, one
   **whole-portfolio RINS** (``Search.agreement``): every start where the LP and the
   incumbent agree is fixed and HiGHS searches the rest (about an eighth of the columns)
   across all teams at once. It stops at the time limit or when the incumbent is within
   ``gap`` of the LP bound.
6. Asked to (``race``), plain HiGHS races the whole tree of step 4 on a second core.

The result says which it reached: ``optimal`` (within ``gap`` of a proven bound) or
``feasible`` (the time limit came first; ``gap`` then says how far from the bound it might be).

Marginal value of one more person-week: the dual of each team-period capacity row in the
LP relaxation, i.e. the value the relaxed plan would gain per extra person-week of that team in
that period, valid while the LP basis stays optimal. Not duals with the integer choices fixed:
with every choice fixed nothing can move, so those duals are all zero and say nothing; and not
re-solve deltas: that is one MIP per team and period (400 at 100 teams * 4 periods), and one
person-week is usually too little to let a whole initiative in, so integer deltas are mostly
0 with rare jumps. The LP price is the smooth, comparable signal a leader needs to see where
capacity is worth most.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import highspy
import numpy as np

from leadshift.allocation.baselines import SCORES, Filler, baseline, greedy_starts
from leadshift.allocation.localsearch import LocalSearch
from leadshift.allocation.model import Model, build_model
from leadshift.allocation.neighbourhoods import Search
from leadshift.allocation.plan import Plan, Sample, make_plan, relative_gap
from leadshift.allocation.problem import Portfolio
from leadshift.allocation.race import RACE_MIN_COLUMNS, RACE_MIN_CORES, PlainRace, cores, spare_core
from leadshift.allocation.steps import step_form

Progress = Callable[[float, float | None, float | None], None]
FULL_MIP_COLUMNS = 6000
WARM_SEARCH_COLUMNS = 150
HEURISTIC_SECONDS = 1.0
"""The most the local and neighbourhood searches get before branch and bound (per search)."""
STEP_FORM_PERIODS = 4
AGREEMENT_AFTER = 0.25
"""Large portfolios: the share of the time limit the neighbourhoods get before the
whole-portfolio RINS (``Search.agreement``), which then gets ``AGREEMENT_SHARE`` of what is
left; the neighbourhoods have the rest."""
AGREEMENT_SHARE = 0.7
"""Branch and bound also gets cumulative start variables up to this many periods."""
MARGINAL_METHOD = (
    "LP-relaxation duals of the capacity rows: value gained per extra person-week "
    "of that team in that period, while the relaxed plan's basis holds"
)


class _Clock:
    def __init__(self, time_limit: float, progress: Progress | None):
        self.t0 = time.perf_counter()
        self.deadline = self.t0 + time_limit
        self.progress = progress
        self.log: list[Sample] = []
        self.incumbent: float | None = None
        self.bound: float | None = None
        self._last = -1.0

    def elapsed(self) -> float:
        return time.perf_counter() - self.t0

    def left(self) -> float:
        return self.deadline - time.perf_counter()

    def note(self, incumbent: float | None, bound: float | None, *, force: bool = True) -> None:
        if incumbent is not None and (self.incumbent is None or incumbent > self.incumbent):
            self.incumbent = incumbent
        if bound is not None and (self.bound is None or bound < self.bound):
            self.bound = bound
        now = self.elapsed()
        if not force and now - self._last < 0.5:
            return
        self._last = now
        self.log.append(Sample(now, self.incumbent, self.bound))
        if self.progress is not None:
            self.progress(now, self.incumbent, self.bound)


def allocate(
    portfolio: Portfolio,
    *,
    time_limit: float = 60.0,
    gap: float = 1e-4,
    progress: Progress | None = None,
    method: str = "optimal",
    threads: int = 2,
    seed: int = 0,
    node_limit: int | None = None,
    race: bool | None = False,
) -> Plan:
    """Plan the portfolio; ``method`` 'optimal' or one of the score-and-sort baselines.

    ``node_limit``: branch and bound stops after that many nodes, and the searches whose
    budget is in seconds are left out, so the plan does not depend on the clock (the same on
    any machine for the same ``threads``); ``time_limit`` then only guards against runaways.

    ``race``: where branch and bound takes the whole portfolio and ``threads`` is 2 or more,
    plain HiGHS also solves the plain model in a process of its own (``race``) and the first
    proof is taken: one more core for a floor at plain HiGHS on one thread. ``False`` (the
    default) never races: on an idle machine the optimiser won every race of the benchmark's
    proofs (plain HiGHS on one thread is slower than it wherever plain HiGHS on two is
    faster), so the second process only took a core. ``None`` races when a second core is
    free (``race.spare_core``), ``True`` whenever the process may run on 2 cores."""
    if method != "optimal":
        return baseline(portfolio, method)
    if (
        threads >= RACE_MIN_CORES
        and node_limit is None
        and (spare_core() if race is None else race and cores() >= RACE_MIN_CORES)
    ):
        with _Racing(time_limit, gap) as racing:
            return _allocate(portfolio, time_limit, gap, progress, threads, seed, None, racing)
    return _allocate(portfolio, time_limit, gap, progress, threads, seed, node_limit, None)


class _Racing:
    """Plain HiGHS beside the optimiser (``race``), once the model is built; always stopped."""

    def __init__(self, time_limit: float, gap: float):
        self.time_limit = time_limit
        self.gap = gap
        self.plain: PlainRace | None = None
        self.won = False

    def __enter__(self) -> _Racing:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.plain is not None:
            self.plain.stop()

    def start(self, model: Model, seconds: float) -> None:
        self.plain = PlainRace(model, time_limit=seconds, gap=self.gap)

    def finished(self) -> bool:
        return self.plain is not None and self.plain.finished()


def _allocate(
    portfolio: Portfolio,
    time_limit: float,
    gap: float,
    progress: Progress | None,
    threads: int,
    seed: int,
    node_limit: int | None,
    racing: _Racing | None,
) -> Plan:
    clock = _Clock(time_limit, progress)
    # The score-and-sort plans take a fraction of a second where the LP can take many (4-13 s
    # at 10,000 initiatives): the best of them is the first plan shown, not the LP's.
    greedy = [greedy_starts(portfolio, SCORES[m](portfolio)) for m in SCORES]
    shown = [
        sum(portfolio.weighted_value(portfolio.initiatives[i]) for i in starts)
        for starts, trouble in greedy
        if not trouble
    ]
    if shown:
        clock.note(max(shown), None)
    model = build_model(portfolio)
    whole_tree = model.num_col <= FULL_MIP_COLUMNS or node_limit is not None
    if racing is not None and whole_tree and model.num_col >= RACE_MIN_COLUMNS:
        racing.start(model, max(0.5, clock.left()))
    else:
        racing = None
    relaxation = model.highs(integer=False, threads=threads)
    relaxation.setOptionValue("time_limit", max(1.0, time_limit))
    relaxation.run()
    if relaxation.getModelStatus() == highspy.HighsModelStatus.kInfeasible:
        return _infeasible(portfolio, clock, time_limit)
    x_lp = np.asarray(relaxation.getSolution().col_value)
    lp_bound = float(relaxation.getInfo().objective_function_value)
    marginal = _marginal_values(model, relaxation)
    clock.note(None, lp_bound)

    x_inc = _first_incumbent(model, x_lp, greedy)
    polish = _Polisher(model, clock)
    # Where branch and bound takes the whole problem, the heuristics before it only give the
    # tree a good incumbent: a budget that grew with the time limit made a 60 s run take
    # twice as long to prove the same optimum as a 20 s run.
    if x_inc is not None:
        clock.note(model.objective_of(x_inc), None)
    if x_inc is not None and node_limit is None:
        x_inc = polish(x_inc, min(HEURISTIC_SECONDS if whole_tree else 10.0, 0.2 * clock.left()))

    search = Search(
        model,
        x_lp,
        left=clock.left,
        note=lambda value: clock.note(value, None),
        polish=lambda x, teams: polish(x, min(1.0, clock.left() / 4), teams),
        threads=threads,
        seed=seed,
    )
    why = "time limit reached"
    if whole_tree or x_inc is None:
        if x_inc is not None and model.num_col >= WARM_SEARCH_COLUMNS and node_limit is None:
            # Branch and bound prunes by the incumbent: a few seconds of neighbourhood
            # search first usually finds the optimum, which the tree then only has to prove.
            x_inc, _ = search.run(
                x_inc,
                lambda value: relative_gap(value, lp_bound) <= gap,
                min(HEURISTIC_SECONDS, 0.1 * clock.left()),
            )
        x_best, status, bound = _branch_and_bound(
            model, x_inc, clock, gap, threads, node_limit, racing
        )
        if status == "node limit":
            nodes = f"{node_limit:,} node" + ("s" if node_limit != 1 else "")
            status, why = "feasible", f"stopped at the node limit ({nodes})"
    else:
        # The bound is the LP's: at 5,000 x 100 x 4 HiGHS's root cuts on the whole model left
        # it unchanged (80,561.6) after 90 s. Most of the gap was the incumbent's: the
        # neighbourhoods alone flatten out at 78,7xx-78,9xx (2.0-2.3 %), and one
        # whole-portfolio RINS after them reaches 79,78x (0.97 %) in the same 60 s. A per-team
        # Lagrangian bound at the LP's duals (each team's multi-period knapsack solved as an
        # integer programme) came out at 80,555.8, no tighter than the LP.
        def reached(value: float) -> bool:
            return relative_gap(value, lp_bound) <= gap

        x_best, whole = search.run(x_inc, reached, AGREEMENT_AFTER * clock.left())
        if whole is None and not reached(model.objective_of(x_best)) and clock.left() > 1.0:
            x_best = search.agreement(x_best, AGREEMENT_SHARE * clock.left())
            x_best, whole = search.run(x_best, reached)
        bound = lp_bound if whole is None else min(lp_bound, whole)
        status = "optimal" if relative_gap(model.objective_of(x_best), bound) <= gap else "feasible"
    if x_best is None:
        if status == "infeasible":
            return _infeasible(portfolio, clock, time_limit)
        plan = make_plan(portfolio, {}, method="optimal", status="infeasible", bound=bound)
        plan.message = "no plan keeping every rule was found within the time limit"
        plan.elapsed = clock.elapsed()
        return plan
    clock.note(model.objective_of(x_best), bound)
    return make_plan(
        portfolio,
        model.starts_from_solution(x_best),
        method="optimal",
        status=status,
        bound=bound,
        marginal_value=marginal,
        marginal_method=MARGINAL_METHOD,
        log=clock.log,
        elapsed=clock.elapsed(),
        message=(
            "proven optimal within the requested gap"
            + (" (by plain HiGHS, run beside the optimiser)" if racing and racing.won else "")
            if status == "optimal"
            else f"{why}; the gap is to the best proven bound"
        ),
    )


def _infeasible(portfolio: Portfolio, clock: _Clock, time_limit: float) -> Plan:
    from leadshift.allocation.conflicts import explain

    conflicts = explain(portfolio, time_limit=max(5.0, min(30.0, time_limit)))
    return Plan(
        method="optimal",
        status="infeasible",
        objective=0.0,
        bound=None,
        selected=[],
        utilisation={},
        left_out=[],
        log=clock.log,
        conflicts=conflicts,
        message="the rules cannot all hold: " + " ".join(conflicts),
        elapsed=clock.elapsed(),
    )


def _marginal_values(model: Model, relaxation: highspy.Highs) -> dict[str, dict[str, float]]:
    duals = np.asarray(relaxation.getSolution().row_dual)
    p = model.portfolio
    out: dict[str, dict[str, float]] = {t.id: {} for t in p.teams}
    for (k, t), r in model.cap_row.items():
        # HiGHS reports duals of a maximisation with the sign of the minimisation of -f.
        out[p.teams[k].id][p.periods[t]] = max(0.0, abs(float(duals[r])))
    return out


def _feasible(model: Model, x: np.ndarray) -> bool:
    return model.violation(x) <= 1e-6


def _first_incumbent(
    model: Model, x_lp: np.ndarray, greedy: list[tuple[dict[int, int], str]]
) -> np.ndarray | None:
    """The better of the score-and-sort plans and the LP-guided rounding, if any keeps the rules."""
    best: np.ndarray | None = None
    candidates = [*greedy, _lp_rounding(model, x_lp)]
    for starts, trouble in candidates:
        if trouble:
            continue
        x = model.solution_from_starts(starts)
        if _feasible(model, x) and (
            best is None or model.objective_of(x) > model.objective_of(best)
        ):
            best = x
    return best


class _Polisher:
    """The local search kept between calls, so each call only re-checks what changed."""

    def __init__(self, model: Model, clock: _Clock):
        self.model = model
        self.clock = clock
        self.search: LocalSearch | None = None

    def __call__(self, x: np.ndarray, seconds: float, teams: set[int] | None = None) -> np.ndarray:
        """The search's improvement of ``x``, kept only if it is better and keeps the rules."""
        model = self.model
        starts = model.starts_from_solution(x)
        if self.search is None:
            self.search = LocalSearch(model, starts)
        else:
            self.search.sync(starts)
        if self.search.run(time.perf_counter() + max(0.0, seconds), teams) <= 1e-7:
            return x
        better = model.solution_from_starts(self.search.starts())
        if not _feasible(model, better) or model.objective_of(better) <= model.objective_of(x):
            self.search.sync(starts)
            return x
        self.clock.note(model.objective_of(better), None)
        return better


def _lp_rounding(model: Model, x_lp: np.ndarray) -> tuple[dict[int, int], str]:
    p = model.portfolio
    items = p.initiatives
    take = np.zeros(len(items))
    np.add.at(take, model.col_item, x_lp)
    preferred = {}
    for i, cols in enumerate(model.item_cols):
        if len(cols):
            preferred[i] = int(model.col_start[cols[np.argmax(x_lp[cols])]])
    vpe = [p.value_per_effort(a) for a in items]
    rank = {i: float(take[i]) + 1e-9 * min(vpe[i], 1e9) for i in range(len(items))}
    order = sorted(range(len(items)), key=lambda i: (-round(float(take[i]), 6), -vpe[i], i))
    filler = Filler(p)
    stuck = filler.place_mandatory()
    if stuck:
        return filler.starts, f"mandatory {stuck!r}"
    for i in order:
        if take[i] < 0.5 or i in filler.starts:
            continue
        at = filler.ready(i)
        s = preferred.get(i)
        # The mix is repaired once everything is placed: checked item by item, the first
        # few would each be 100 % of their horizon and nothing could start the plan.
        if at is not None and s is not None and s >= at and filler.fits(i, s):
            filler.put(i, s)
    if not filler.repair_mix(rank):
        return filler.starts, "horizon mix"
    filler.fill(order, mix_budget=False, exact_mix=True)
    return filler.starts, ""


def _branch_and_bound(
    model: Model,
    x_inc: np.ndarray | None,
    clock: _Clock,
    gap: float,
    threads: int,
    node_limit: int | None = None,
    racing: _Racing | None = None,
) -> tuple[np.ndarray | None, str, float | None]:
    # On quarterly plans the tree also gets cumulative start variables (``steps``): the same
    # optimum, proven in a fraction of the time (0.17x-0.90x plain HiGHS on the benchmark's
    # 60 x 6 x 4 seeds 5, 8 and 2). Long horizons keep the pulse form: at 120 x 6 x 12 the
    # step form alone ended 60 s at a 9.8 % gap where the pulse form reached 7.0 %, and both
    # forms together at the same 7.0 %; measured again at ab52591, 6.96 % either way. There
    # HiGHS's bound stays at its root value (2059.5), and plain HiGHS given 240 s ends at
    # 1921.7 where ours is 1916.2 at 5 s: nearly all of that gap is the bound. Tried on the
    # 60 x 6 x 4 proofs (seeds 2, 9, 11), none faster in CPU seconds beyond the noise of a
    # loaded machine: mip_heuristic_effort 0 or 0.2, mip_pscost_minreliable 2 or 4, no
    # restart, each team's capacity summed over the horizon or adjacent periods as extra
    # rows, integer steps (alone or with integer pulses), and both forms raced on a thread
    # each. Seed 2's tree is large because of the horizon mix rows (1,204 nodes; 106 without).
    form = step_form(model) if len(model.portfolio.periods) <= STEP_FORM_PERIODS else None
    h = form.highs(threads=threads) if form else model.highs(integer=True, threads=threads)
    h.setOptionValue("time_limit", max(0.5, clock.left()))
    h.setOptionValue("mip_rel_gap", gap)
    if node_limit is not None:
        h.setOptionValue("mip_max_nodes", node_limit)
    if x_inc is not None:
        sol = highspy.HighsSolution()
        sol.col_value = list(form.start(x_inc) if form else x_inc)
        sol.value_valid = True
        h.setSolution(sol)

    raced = _raced(model, racing)
    if raced is not None:
        return raced

    def watch(event: highspy.highs.HighsCallbackEvent) -> None:
        if racing is not None and racing.plain is not None and racing.plain.proof() is not None:
            event.interrupt()
        out = event.data_out
        inc = float(out.mip_primal_bound)
        bound = float(out.mip_dual_bound)
        clock.note(
            inc if np.isfinite(inc) else None,
            bound if np.isfinite(bound) else None,
            force=False,
        )

    h.cbMipInterrupt.subscribe(watch)
    h.cbMipImprovingSolution.subscribe(watch)
    h.run()
    status = h.getModelStatus()
    if status != highspy.HighsModelStatus.kOptimal:
        # Interrupted by the race's proof, or stopped at the time limit as it came in.
        raced = _raced(model, racing)
        if raced is not None:
            return raced
    info = h.getInfo()
    if status == highspy.HighsModelStatus.kInfeasible:
        return None, "infeasible", None
    dual = float(info.mip_dual_bound)
    bound = dual if np.isfinite(dual) else clock.bound
    if info.primal_solution_status < 2 and x_inc is None:
        return None, "feasible", bound
    found = np.asarray(h.getSolution().col_value)
    x = form.plan(found) if form else np.round(found)
    if x_inc is not None and (
        not _feasible(model, x) or model.objective_of(x) < model.objective_of(x_inc)
    ):
        x = x_inc
    if status == highspy.HighsModelStatus.kOptimal:
        return x, "optimal", bound
    stopped_by_nodes = node_limit is not None and status == highspy.HighsModelStatus.kSolutionLimit
    return x, "node limit" if stopped_by_nodes else "feasible", bound


def _raced(model: Model, racing: _Racing | None) -> tuple[np.ndarray, str, float] | None:
    """Plain HiGHS's proof, if the race has one that keeps every rule."""
    if racing is None or racing.plain is None or not racing.plain.finished():
        return None
    proof = racing.plain.proof()
    if proof is None:
        return None
    racing.won = True
    return proof.x, "optimal", max(proof.bound, model.objective_of(proof.x))
