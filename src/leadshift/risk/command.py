"""``leadshift simulate PORTFOLIO``: the click command, for the main CLI to register.

from leadshift.risk.command import simulate_command
cli.add_command(simulate_command)
"""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING

import click

from leadshift.files import InputError

if TYPE_CHECKING:
    from leadshift.risk.simulation import SimulationResult


def _text_report(result: SimulationResult) -> str:
    v = result.total_value
    lines = [
        f"{result.trials:,} trials, seed {result.seed}",
        f"delivered value: mean {v.mean:,.1f}  P10 {v.p10:,.1f}  "
        f"P50 {v.p50:,.1f}  P90 {v.p90:,.1f}",
        "",
        f"{'initiative':<24} {'P50':>6} {'P80':>6} {'P90':>6} {'deadline':>9} {'on time':>8}",
    ]

    def name(k: int) -> str:
        return result.periods[k] if k < len(result.periods) else "later"

    for r in result.initiatives:
        on_time = "-" if r.p_deadline is None else f"{r.p_deadline:.0%}"
        deadline = "-" if r.deadline is None else name(r.deadline)
        lines.append(
            f"{r.id:<24} {name(r.finish.p50):>6} {name(r.finish.p80):>6} "
            f"{name(r.finish.p90):>6} {deadline:>9} {on_time:>8}"
        )
    if result.objectives:
        lines += ["", f"{'objective':<24} {'target':>10} {'P(reach)':>9} {'mean value':>11}"]
        for o in result.objectives:
            target = "-" if o.target is None else f"{o.target:,.0f}"
            reach = "-" if o.p_reach is None else f"{o.p_reach:.0%}"
            lines.append(f"{o.id:<24} {target:>10} {reach:>9} {o.value.mean:>11,.1f}")
    if result.tornado:
        lines += ["", "what drives the spread (value lost when it happens):"]
        for b in result.tornado[:10]:
            lines.append(
                f"  {b.kind:<6} {b.id:<28} fires {b.fired_share:>5.0%}  costs {b.swing:,.1f}"
            )
    return "\n".join(lines)


@click.command("simulate")
@click.argument("portfolio", type=click.Path(dir_okay=False))
@click.option("--trials", default=10_000, show_default=True, type=click.IntRange(min=1))
@click.option("--seed", default=0, show_default=True, type=int)
@click.option(
    "--time-limit",
    default=10.0,
    show_default=True,
    type=float,
    help="Seconds for the optimiser when the file carries no plan.",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    help="Threads computing trials [default: one per core this process may use].",
)
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def simulate_command(
    portfolio: str,
    trials: int,
    seed: int,
    time_limit: float,
    workers: int | None,
    as_json: bool,
) -> None:
    """Monte Carlo simulation of the plan in PORTFOLIO (planned first when it has none)."""
    # Imported here: every `leadshift` command registers this one, and the engines (numpy,
    # scipy) would slow each command's start-up.
    from leadshift.allocation.problem import read_portfolio
    from leadshift.risk.scenario import ScenarioError
    from leadshift.risk.scenario_file import planned_scenario
    from leadshift.risk.simulation import result_json, simulate

    try:
        planned = planned_scenario(read_portfolio(portfolio), time_limit=time_limit)
    except (InputError, ScenarioError) as exc:
        raise click.ClickException(str(exc)) from exc
    scenario = planned.scenario
    click.echo(planned.note, err=as_json)
    with click.progressbar(length=trials, label="simulating", file=sys.stderr) as bar:
        last = 0

        def progress(done: int, total: int) -> None:
            nonlocal last
            bar.update(done - last)
            last = done

        result = simulate(scenario, trials=trials, seed=seed, progress=progress, workers=workers)
    if as_json:
        data = result_json(result)
        data["plan"] = {
            "from": "optimiser" if planned.planned_here else "file",
            "note": planned.note,
            "starts": {x.id: scenario.periods[x.start_period] for x in scenario.initiatives},
        }
        click.echo(json.dumps(data, indent=2))
    else:
        click.echo(_text_report(result))
