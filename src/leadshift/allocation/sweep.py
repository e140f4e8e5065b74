"""A scenario sweep: variants of one portfolio (capacity changes, rule sets), each optimised
and optionally simulated, side by side. Plain Python: no Django.

A sweep file (YAML or JSON; docs/examples/sweep.yaml) reads like this::

    time_limit: 5                       # seconds for the optimiser, per variant (default 10)
    node_limit: 2000                    # optional: branch-and-bound nodes per variant instead
    simulate: {trials: 2000, seed: 7}   # optional: each variant's plan simulated, same seed
    grid:                               # optional: one variant per team and percent
      percent: [-20, 20]                # every period's capacity changed by that share
      teams: [platform]                 # default: every team
    variants:
      - name: Platform loses a contractor in Q2
        capacity:
          - {team: platform, period: Q2, delta: -6}    # person-weeks added (negative: fewer)
          - {team: mobile, percent: 10}                 # every period, by a share
        mandatory: [loyalty]
        excluded: [ai-assistant]        # and whatever waits for it
        precedence: false               # ignore `after` (default true)
        weights: {retention: 3}         # objective weights

With ``node_limit`` a variant's optimiser stops after that many branch-and-bound nodes and
skips its searches timed in seconds, so the table is the same on any machine however busy
(the time limit still stops a runaway; give it room). The base (the portfolio as it is)
always comes first. Each variant is solved by
``solve_variant``, a top-level function of plain values, so it can run in this process, in
local processes or on a Dask cluster's workers with the same result.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Executor, Future
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from leadshift.files import Document, InputError, PathPart, Problem, read_document

MAX_VARIANTS = 200
MAX_TIME_LIMIT = 120.0
MAX_NODE_LIMIT = 10_000_000
MAX_TRIALS = 100_000
BASE = "Base"

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class CapacityChange:
    team: str
    period: str | None = None
    """None: every period."""
    delta: float = 0.0
    """Person-weeks added (negative: taken away)."""
    percent: float = 0.0
    """Share added, in percent; applied before ``delta``."""

    def describe(self) -> str:
        when = f"in {self.period}" if self.period else "in every period"
        parts = []
        if self.percent:
            parts.append(f"{self.percent:+g}%")
        if self.delta:
            parts.append(f"{self.delta:+g} person-weeks")
        return f"{self.team} {' and '.join(parts) or 'unchanged'} {when}"


@dataclass(frozen=True)
class Variant:
    name: str
    capacity: tuple[CapacityChange, ...] = ()
    mandatory: tuple[str, ...] = ()
    excluded: tuple[str, ...] = ()
    precedence: bool = True
    weights: tuple[tuple[str, float], ...] = ()

    def changes(self) -> list[str]:
        out = [c.describe() for c in self.capacity]
        out += [f"{i!r} made mandatory" for i in self.mandatory]
        out += [f"{i!r} left out" for i in self.excluded]
        if not self.precedence:
            out.append("precedence ignored")
        out += [f"objective {o!r} weighs {w:g}" for o, w in self.weights]
        return out


@dataclass(frozen=True)
class Sweep:
    variants: tuple[Variant, ...]
    """The base first."""
    time_limit: float = 10.0
    trials: int = 0
    """0: no simulation."""
    seed: int = 0
    node_limit: int = 0
    """Branch-and-bound nodes per variant; 0: none (the time limit alone)."""


@dataclass(frozen=True)
class VariantResult:
    name: str
    status: str
    """The optimiser's (optimal, feasible, time-limit…), or infeasible."""
    value: float
    starts: dict[str, str]
    """Initiative id -> start period of the variant's plan."""
    delivered_p50: float | None = None
    message: str = ""
    changes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Row:
    """A variant beside the base: what it gains and which initiatives come in or go out."""

    name: str
    status: str
    value: float
    gain: float
    delivered_p50: float | None
    came_in: tuple[str, ...]
    went_out: tuple[str, ...]
    changes: tuple[str, ...]
    message: str = ""


# --- reading ------------------------------------------------------------------------------


def read_sweep(path: str | Path, base: Mapping[str, Any]) -> Sweep:
    """Read and check a sweep file against the base portfolio document (its periods, teams,
    initiatives and objectives); one InputError listing every problem, placed."""
    return sweep_from_document(read_document(path), base)


def sweep_from_document(doc: Document, base: Mapping[str, Any]) -> Sweep:
    return _Reader(doc, base).read()


def _shown(x: float | None) -> str:
    """A bound as typed: 10,000,000 rather than 1e+07."""
    return f"{x:,.0f}" if x is not None and x == int(x) else f"{x:g}"


class _Reader:
    def __init__(self, doc: Document, base: Mapping[str, Any]):
        self.doc = doc
        self.problems: list[Problem] = []
        self.periods = [str(p) for p in base.get("periods", [])]
        self.teams = [str(t.get("id")) for t in base.get("teams", []) if isinstance(t, Mapping)]
        self.initiatives = {
            str(i.get("id")) for i in base.get("initiatives", []) if isinstance(i, Mapping)
        }
        self.objectives = {
            str(o.get("id")) for o in base.get("objectives", []) or [] if isinstance(o, Mapping)
        }

    def fail(self, message: str, path: tuple[PathPart, ...]) -> None:
        self.problems.append(self.doc.problem(message, path))

    def mapping(self, raw: Any, path: tuple[PathPart, ...], allowed: set[str]) -> Mapping[Any, Any]:
        if not isinstance(raw, Mapping):
            self.fail(f"expected a mapping, got {type(raw).__name__}", path)
            return {}
        for key in raw:
            if key not in allowed:
                self.fail(
                    f"unknown field (expected one of {', '.join(sorted(allowed))})", (*path, key)
                )
        return raw

    def listing(self, raw: Any, path: tuple[PathPart, ...]) -> list[Any]:
        if not isinstance(raw, list):
            self.fail(f"expected a list, got {type(raw).__name__}", path)
            return []
        return raw

    def number(
        self, raw: Any, path: tuple[PathPart, ...], lo: float | None = None, hi: float | None = None
    ) -> float | None:
        if isinstance(raw, bool) or not isinstance(raw, int | float) or raw != raw:
            self.fail(f"expected a number, got {raw!r}", path)
            return None
        if (lo is not None and raw < lo) or (hi is not None and raw > hi):
            self.fail(f"must be between {_shown(lo)} and {_shown(hi)}, got {raw:g}", path)
            return None
        return float(raw)

    def one_of(self, raw: Any, known: Sequence[str] | set[str], what: str, path) -> str | None:
        if str(raw) not in known:
            names = ", ".join(sorted(known)) if len(known) <= 12 else f"{len(known)} of them"
            self.fail(f"unknown {what} {raw!r} (the portfolio's: {names})", path)
            return None
        return str(raw)

    def read(self) -> Sweep:
        root = self.mapping(
            self.doc.data, (), {"time_limit", "node_limit", "simulate", "grid", "variants"}
        )
        time_limit = 10.0
        if "time_limit" in root:
            time_limit = self.number(root["time_limit"], ("time_limit",), 1, MAX_TIME_LIMIT) or 10.0
        node_limit = 0
        if "node_limit" in root:
            raw_nodes = root["node_limit"]
            got_nodes = self.number(raw_nodes, ("node_limit",), 1, MAX_NODE_LIMIT)
            if got_nodes is not None and got_nodes != int(got_nodes):
                self.fail(f"expected a whole number, got {raw_nodes!r}", ("node_limit",))
            node_limit = int(got_nodes or 0)
        trials, seed = 0, 0
        if "simulate" in root:
            sim = self.mapping(root["simulate"], ("simulate",), {"trials", "seed"})
            if "trials" not in sim and isinstance(root["simulate"], Mapping):
                self.fail("this field is required", ("simulate", "trials"))
            got = self.number(sim.get("trials", 1), ("simulate", "trials"), 1, MAX_TRIALS)
            trials = int(got or 0)
            s = self.number(sim.get("seed", 0), ("simulate", "seed"), 0, 2**32 - 1)
            seed = int(s or 0)
        variants: list[Variant] = [Variant(BASE)]
        if "grid" in root:
            variants += self.grid(root["grid"])
        raw_variants = self.listing(root.get("variants", []), ("variants",))
        for k, raw in enumerate(raw_variants):
            got_variant = self.variant(raw, ("variants", k))
            if got_variant is not None:
                variants.append(got_variant)
        if len(variants) == 1 and not self.problems:
            self.fail("a sweep needs at least one variant (under variants or grid)", ())
        if len(variants) > MAX_VARIANTS + 1:
            self.fail(f"at most {MAX_VARIANTS} variants, got {len(variants) - 1}", ("variants",))
        seen: dict[str, int] = {}
        for v in variants:
            seen[v.name] = seen.get(v.name, 0) + 1
        for k, raw in enumerate(raw_variants):
            name = raw.get("name") if isinstance(raw, Mapping) else None
            if isinstance(name, str) and seen.get(name.strip(), 0) > 1:
                self.fail(
                    f"another variant is also called {name.strip()!r}", ("variants", k, "name")
                )
        if self.problems:
            raise self.doc.error(self.problems)
        return Sweep(tuple(variants), time_limit, trials, seed, node_limit)

    def grid(self, raw: Any) -> list[Variant]:
        g = self.mapping(raw, ("grid",), {"percent", "teams"})
        if "percent" not in g:
            if isinstance(raw, Mapping):
                self.fail("this field is required", ("grid", "percent"))
            return []
        shares = [
            self.number(p, ("grid", "percent", k), -100, 1000)
            for k, p in enumerate(self.listing(g["percent"], ("grid", "percent")))
        ]
        teams = self.teams
        if "teams" in g:
            teams = [
                t
                for k, raw_team in enumerate(self.listing(g["teams"], ("grid", "teams")))
                if (t := self.one_of(raw_team, self.teams, "team", ("grid", "teams", k)))
            ]
        return [
            Variant(f"{team} {share:+g}%", capacity=(CapacityChange(team, percent=share),))
            for team in teams
            for share in shares
            if share is not None
        ]

    def variant(self, raw: Any, path: tuple[PathPart, ...]) -> Variant | None:
        v = self.mapping(
            raw, path, {"name", "capacity", "mandatory", "excluded", "precedence", "weights"}
        )
        if not isinstance(raw, Mapping):
            return None
        name = v.get("name")
        if not isinstance(name, str) or not name.strip() or len(name) > 120:
            self.fail("a variant needs a name (up to 120 characters)", (*path, "name"))
            name = "?"
        elif name.strip() == BASE:
            self.fail(
                f"{BASE!r} is the portfolio as it is; name the variant otherwise", (*path, "name")
            )
        caps = []
        for k, c in enumerate(self.listing(v.get("capacity", []), (*path, "capacity"))):
            here = (*path, "capacity", k)
            cm = self.mapping(c, here, {"team", "period", "delta", "percent"})
            if not isinstance(c, Mapping):
                continue
            if "team" not in cm:
                self.fail("this field is required", (*here, "team"))
                continue
            team = self.one_of(cm["team"], self.teams, "team", (*here, "team"))
            period = None
            if "period" in cm:
                period = self.one_of(cm["period"], self.periods, "period", (*here, "period"))
            if "delta" not in cm and "percent" not in cm:
                self.fail("a capacity change needs delta (person-weeks) or percent", here)
                continue
            delta = self.number(cm.get("delta", 0), (*here, "delta"), -10_000, 10_000)
            percent = self.number(cm.get("percent", 0), (*here, "percent"), -100, 1000)
            if team is not None and delta is not None and percent is not None:
                caps.append(CapacityChange(team, period, delta, percent))
        lists = {}
        for key in ("mandatory", "excluded"):
            lists[key] = tuple(
                i
                for k, item in enumerate(self.listing(v.get(key, []), (*path, key)))
                if (i := self.one_of(item, self.initiatives, "initiative", (*path, key, k)))
            )
        for i in set(lists["mandatory"]) & set(lists["excluded"]):
            self.fail(f"{i!r} cannot be both mandatory and left out", (*path, "excluded"))
        precedence = v.get("precedence", True)
        if not isinstance(precedence, bool):
            self.fail(f"expected true or false, got {precedence!r}", (*path, "precedence"))
            precedence = True
        weights = []
        wm = self.mapping(v.get("weights", {}), (*path, "weights"), self.objectives)
        for oid, w in wm.items():
            if str(oid) in self.objectives:
                got = self.number(w, (*path, "weights", oid), 0, 1000)
                if got is not None:
                    weights.append((str(oid), got))
        return Variant(
            name.strip(),
            tuple(caps),
            lists["mandatory"],
            lists["excluded"],
            precedence,
            tuple(weights),
        )


# --- applying and solving -----------------------------------------------------------------


def apply(base: Mapping[str, Any], variant: Variant) -> dict[str, Any]:
    """The portfolio document with the variant's changes made (the base is not touched)."""
    data = copy.deepcopy(dict(base))
    periods = [str(p) for p in data.get("periods", [])]
    teams = {str(t["id"]): t for t in data.get("teams", [])}
    for c in variant.capacity:
        entry = teams[c.team]
        cap = entry.get("capacity", 0)
        cap = dict(cap) if isinstance(cap, Mapping) else dict.fromkeys(periods, cap)
        for p in [c.period] if c.period else periods:
            was = float(cap.get(p, 0) or 0)
            cap[p] = max(0.0, was * (1 + c.percent / 100.0) + c.delta)
        entry["capacity"] = cap
    excluded = set(variant.excluded)
    items = data.get("initiatives", [])
    grew = True
    while grew:  # leaving one out leaves out whatever waits for it
        grew = False
        for item in items:
            if (
                variant.precedence
                and str(item["id"]) not in excluded
                and any(str(d) in excluded for d in item.get("after", []))
            ):
                excluded.add(str(item["id"]))
                grew = True
    data["initiatives"] = [i for i in items if str(i["id"]) not in excluded]
    for item in data["initiatives"]:
        if str(item["id"]) in variant.mandatory:
            item["mandatory"] = True
        if not variant.precedence:
            item.pop("after", None)
    weights = dict(variant.weights)
    for o in data.get("objectives", []) or []:
        if str(o["id"]) in weights:
            o["weight"] = weights[str(o["id"])]
    return data


def solve_variant(
    base: Mapping[str, Any],
    variant: Variant,
    time_limit: float,
    trials: int,
    seed: int,
    node_limit: int = 0,
) -> VariantResult:
    """Optimise one variant (one solver thread, so workers side by side do not fight) and
    simulate its plan when ``trials``. The same inputs give the same result anywhere when
    the variant is proven optimal or ``node_limit`` stops it."""
    from leadshift.allocation.optimiser import allocate
    from leadshift.allocation.problem import portfolio_from_document

    changes = tuple(variant.changes())
    try:
        portfolio = portfolio_from_document(Document(apply(base, variant), variant.name))
    except InputError as exc:
        message = "; ".join(p.describe() for p in exc.problems)
        return VariantResult(variant.name, "infeasible", 0.0, {}, None, message, changes)
    plan = allocate(portfolio, time_limit=time_limit, threads=1, node_limit=node_limit or None)
    if plan.status == "infeasible":
        message = "; ".join(plan.conflicts) or plan.message or "no plan keeps every rule"
        return VariantResult(variant.name, "infeasible", 0.0, {}, None, message, changes)
    starts = {p.id: p.start for p in plan.selected}
    p50 = None
    if trials and plan.selected:
        from leadshift.risk.scenario_file import scenario_from_portfolio
        from leadshift.risk.simulation import simulate

        at = {p.id: p.start_index for p in plan.selected}
        result = simulate(
            scenario_from_portfolio(portfolio, at), trials=trials, seed=seed, workers=1
        )
        p50 = round(result.total_value.p50, 6)
    return VariantResult(
        variant.name, plan.status, round(plan.objective, 6), starts, p50, plan.message, changes
    )


def run_sweep(
    base: Mapping[str, Any],
    sweep: Sweep,
    *,
    executor: Executor | None = None,
    in_flight: int = 2,
    progress: Progress | None = None,
) -> list[VariantResult]:
    """Every variant of the sweep, in the sweep's order: in this process when no ``executor``
    is given, else ``in_flight`` at a time on it (local processes, a Dask cluster)."""
    n = len(sweep.variants)
    args = (sweep.time_limit, sweep.trials, sweep.seed, sweep.node_limit)
    out: list[VariantResult] = []
    if executor is None:
        for v in sweep.variants:
            out.append(solve_variant(base, v, *args))
            if progress:
                progress(len(out), n)
        return out
    pending: list[Future[VariantResult]] = []
    todo = list(sweep.variants)
    # A few in flight, collected in order: the sweep's table is the same whichever finished first.
    while todo or pending:
        while todo and len(pending) < max(1, in_flight):
            pending.append(executor.submit(solve_variant, base, todo.pop(0), *args))
        out.append(pending.pop(0).result())
        if progress:
            progress(len(out), n)
    return out


def rows(results: Sequence[VariantResult]) -> list[Row]:
    """Each variant beside the first (the base)."""
    base = results[0]
    out = []
    for r in results:
        out.append(
            Row(
                r.name,
                r.status,
                r.value,
                round(r.value - base.value, 6),
                r.delivered_p50,
                tuple(sorted(set(r.starts) - set(base.starts))),
                tuple(sorted(set(base.starts) - set(r.starts))),
                r.changes,
                r.message,
            )
        )
    return out


def result_json(results: Sequence[VariantResult]) -> list[dict[str, Any]]:
    return [asdict(r) for r in results]


def results_from_json(data: Sequence[Mapping[str, Any]]) -> list[VariantResult]:
    return [VariantResult(**{**dict(d), "changes": tuple(d.get("changes", ()))}) for d in data]


def variant_json(v: Variant) -> dict[str, Any]:
    return asdict(v)


def variant_from_json(d: Mapping[str, Any]) -> Variant:
    return Variant(
        name=d["name"],
        capacity=tuple(CapacityChange(**c) for c in d.get("capacity", ())),
        mandatory=tuple(d.get("mandatory", ())),
        excluded=tuple(d.get("excluded", ())),
        precedence=bool(d.get("precedence", True)),
        weights=tuple((str(o), float(w)) for o, w in d.get("weights", ())),
    )


def sweep_json(s: Sweep) -> dict[str, Any]:
    return {
        "variants": [variant_json(v) for v in s.variants],
        "time_limit": s.time_limit,
        "trials": s.trials,
        "seed": s.seed,
        "node_limit": s.node_limit,
    }


def sweep_from_json(d: Mapping[str, Any]) -> Sweep:
    return Sweep(
        tuple(variant_from_json(v) for v in d["variants"]),
        float(d.get("time_limit", 10.0)),
        int(d.get("trials", 0)),
        int(d.get("seed", 0)),
        int(d.get("node_limit", 0)),
    )
