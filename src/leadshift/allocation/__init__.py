"""Allocation: which initiatives run, when, on whose capacity, to maximise weighted value.

Plain modules, no Django: ``problem`` (the portfolio and its file format), ``model`` (the
mixed-integer formulation), ``optimiser`` (``allocate``), ``baselines`` (score-and-sort plans),
``conflicts`` (which rules conflict when no plan exists), ``checks`` (an independent rule
check), ``plan`` (the result and its JSON form).
"""

from leadshift.allocation.baselines import baseline, baselines
from leadshift.allocation.checks import plan_violations
from leadshift.allocation.conflicts import explain
from leadshift.allocation.optimiser import allocate
from leadshift.allocation.plan import LeftOut, Placement, Plan, Sample, Usage, result_json
from leadshift.allocation.problem import (
    Estimate,
    HorizonMix,
    Initiative,
    Objective,
    Portfolio,
    Team,
    portfolio_from_document,
    read_portfolio,
)

METHODS = ("optimal", "rice", "wsjf", "value-per-effort")

__all__ = [
    "METHODS",
    "Estimate",
    "HorizonMix",
    "Initiative",
    "LeftOut",
    "Objective",
    "Placement",
    "Plan",
    "Portfolio",
    "Sample",
    "Team",
    "Usage",
    "allocate",
    "baseline",
    "baselines",
    "explain",
    "plan_violations",
    "portfolio_from_document",
    "read_portfolio",
    "result_json",
]
