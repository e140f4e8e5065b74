from __future__ import annotations

from leadshift.risk.scenario import Range, Scenario, SimInitiative, SimTeam


def initiative(
    ident: str,
    *,
    value: Range | float = 10.0,
    effort: Range | float = 5.0,
    duration: int = 1,
    start: int = 0,
    after: tuple[str, ...] = (),
    deadline: int | None = None,
    objectives: tuple[str, ...] = (),
) -> SimInitiative:
    v = value if isinstance(value, Range) else Range.exact(value)
    e = effort if isinstance(effort, Range) else Range.exact(effort)
    return SimInitiative(ident, v, {"team": e}, duration, start, after, deadline, objectives)


def scenario(*inits: SimInitiative, periods: int = 6, **kw: object) -> Scenario:
    names = tuple(f"P{k + 1}" for k in range(periods))
    return Scenario(names, (SimTeam("team", (100.0,) * periods),), tuple(inits), **kw)  # type: ignore[arg-type]
