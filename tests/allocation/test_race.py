"""Plain HiGHS raced beside the optimiser: its proof is the same optimum, and it always stops."""

import os
import time
from pathlib import Path

import numpy as np
import pytest

from leadshift.allocation import allocate, plan_violations
from leadshift.allocation.optimiser import _branch_and_bound, _Clock, _Racing
from leadshift.allocation.problem import HorizonMix, Initiative, Portfolio, Team
from leadshift.allocation.race import RACE_MIN_COLUMNS, PlainRace

two_cores = pytest.mark.skipif(
    len(os.sched_getaffinity(0)) < 2, reason="the race runs only with two cores"
)


@pytest.fixture(scope="module")
def portfolio() -> Portfolio:
    """60 initiatives on 4 teams over 4 quarters, with a horizon mix: proven in about a second."""
    rng = np.random.default_rng(7)
    teams = tuple(Team(f"t{k}", (20.0, 20.0, 20.0, 20.0)) for k in range(4))
    items = []
    for j in range(60):
        chosen = rng.choice(4, size=int(rng.integers(1, 3)), replace=False)
        effort = {f"t{int(k)}": float(rng.integers(1, 6)) for k in chosen}
        duration = 1 if rng.random() < 0.7 else 2
        items.append(
            Initiative(
                f"i{j:02d}",
                float(rng.integers(5, 60)),
                effort,
                duration=duration,
                latest=4 - duration,
                horizon=str(rng.choice(["core", "adjacent"], p=[0.75, 0.25])),
            )
        )
    mix = HorizonMix({"core": 0.75, "adjacent": 0.25}, 0.1, "effort")
    return Portfolio(("Q1", "Q2", "Q3", "Q4"), teams, tuple(items), horizon_mix=mix)


@pytest.fixture(scope="module")
def alone(portfolio):
    return allocate(portfolio, time_limit=60, race=False)


def test_the_portfolio_is_large_enough_to_race(portfolio):
    from leadshift.allocation.model import build_model

    assert build_model(portfolio).num_col >= RACE_MIN_COLUMNS


def test_plain_highs_in_its_own_process_proves_the_optimiser_s_optimum(portfolio, alone):
    from leadshift.allocation.model import build_model

    model = build_model(portfolio)
    race = PlainRace(model, time_limit=60, gap=1e-4)
    try:
        while not race.finished():
            time.sleep(0.05)
        proof = race.proof()
    finally:
        race.stop()
    assert proof is not None
    assert model.objective_of(proof.x) == pytest.approx(alone.objective, rel=1e-4)
    assert proof.bound >= model.objective_of(proof.x) - 1e-6
    assert not os.path.exists(race.folder)


@two_cores
def test_a_raced_plan_has_the_value_of_the_optimiser_alone_and_keeps_every_rule(portfolio, alone):
    plan = allocate(portfolio, time_limit=60, race=True)
    assert plan.status == "optimal" == alone.status
    assert plan.objective == pytest.approx(alone.objective, rel=1e-4)
    assert plan_violations(portfolio, plan.starts) == []


def test_branch_and_bound_takes_plain_highs_s_proof_once_it_is_in(portfolio, alone):
    from leadshift.allocation.model import build_model

    model = build_model(portfolio)
    clock = _Clock(60, None)
    with _Racing(60, 1e-4) as racing:
        racing.start(model, 60)
        while not racing.finished():
            time.sleep(0.05)
        x, status, bound = _branch_and_bound(model, None, clock, 1e-4, 1, None, racing)
    assert racing.won and status == "optimal"
    assert x is not None and model.objective_of(x) == pytest.approx(alone.objective, rel=1e-4)
    assert bound is not None and bound >= model.objective_of(x) - 1e-6


def test_a_plain_solve_still_running_is_stopped_and_its_folder_removed(portfolio):
    from leadshift.allocation.model import build_model

    race = PlainRace(build_model(portfolio), time_limit=60, gap=0.0)
    assert race.process is not None
    race.stop()
    assert race.process.poll() is not None
    assert race.proof() is None
    assert not os.path.exists(race.folder)


@two_cores
def test_on_one_thread_no_plain_solve_is_started(portfolio, alone, monkeypatch):
    started = []
    real_start = _Racing.start

    def start(self, *args):
        started.append(args)
        real_start(self, *args)

    # Watched, not replaced: the race would run as it does, and on two threads it does.
    monkeypatch.setattr(_Racing, "start", start)
    plan = allocate(portfolio, time_limit=60, threads=1, race=True)
    assert started == []
    allocate(portfolio, time_limit=60, threads=2, race=True)
    assert len(started) == 1
    assert plan.objective == pytest.approx(alone.objective, rel=1e-4)


PARENT = """
import sys, time
import numpy as np
from leadshift.allocation.model import build_model
from leadshift.allocation.problem import Initiative, Portfolio, Team

rng = np.random.default_rng(3)
teams = tuple(Team(f"t{k}", (30.0,) * 4) for k in range(20))
items = tuple(
    Initiative(
        f"i{j:03d}",
        float(rng.integers(5, 90)),
        {f"t{int(k)}": float(rng.integers(1, 9)) for k in rng.choice(20, 2, replace=False)},
        duration=2,
        latest=2,
    )
    for j in range(600)
)
from leadshift.allocation.race import PlainRace

race = PlainRace(build_model(Portfolio(("Q1", "Q2", "Q3", "Q4"), teams, items)),
                 time_limit=120, gap=0.0)
print(race.process.pid, race.folder, flush=True)
time.sleep(120)
"""


def test_a_plain_solve_ends_and_removes_its_folder_when_its_parent_is_killed(tmp_path):
    import signal
    import subprocess
    import sys

    parent = subprocess.Popen([sys.executable, "-c", PARENT], stdout=subprocess.PIPE, text=True)
    assert parent.stdout is not None
    child, folder = parent.stdout.readline().split()
    time.sleep(1.0)
    assert os.path.exists(folder), "the child should still be solving"
    os.kill(parent.pid, signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and (
        os.path.exists(f"/proc/{child}") or os.path.exists(folder)
    ):
        time.sleep(0.2)
    assert not os.path.exists(folder)
    # Ended: gone, or a zombie waiting for whichever process adopted it to reap it.
    stat = Path(f"/proc/{child}/stat")
    assert not stat.exists() or stat.read_text().split()[2] == "Z"
