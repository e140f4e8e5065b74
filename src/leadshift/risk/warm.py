"""Compile the trial loop before its first simulation: ``python -m leadshift.risk.warm``.

Numba compiles ``kernel.py`` the first time a process runs it (15-20 s of CPU) and keeps the
machine code in its cache; ``make`` runs this module after installing, so that neither the
first simulation a user asks for nor each of the test workers pays for compiling. Nothing is
fetched: the loop is compiled on a scenario made here.
"""

from __future__ import annotations

from leadshift.risk.engine import BLOCK
from leadshift.risk.scenario import Range, Scenario, SimInitiative, SimRisk, SimTeam
from leadshift.risk.simulation import simulate


def warm() -> None:
    """Run the compiled loop once, on every kind of quantity it draws."""
    team = SimTeam("team", (10.0, 10.0))
    first = SimInitiative("a", Range(1, 2, 3), {"team": Range(1, 2, 4)}, 1, 0, (), 1, ("o",))
    second = SimInitiative(
        "b", Range(1, 2, 3, "pert"), {"team": Range(1, 2, 3, "pert")}, 1, 0, ("a",), None, ()
    )
    risk = SimRisk("r", 0.5, ("a", "b"), delay_periods=1, value_loss_share=0.1)
    extra = SimRisk("x", 0.5, ("b",), extra_effort={"team": 0.5})
    s = Scenario(("P1", "P2"), (team,), (first, second), (risk, extra))
    simulate(s, trials=BLOCK, seed=0, workers=1)


if __name__ == "__main__":
    warm()
