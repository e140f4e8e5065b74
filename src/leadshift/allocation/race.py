"""A floor under the proof time: plain HiGHS on the plain model, in a process of its own.

On most portfolios the optimiser's own branch and bound (warm start, cumulative starts,
symmetry rows) proves the optimum well before plain HiGHS does, but not on all: on some the
extra rows make the tree larger. With two cores free, ``PlainRace`` solves the plain
time-indexed model (``model.highs``, one thread, no start) beside the optimiser, and whichever
proves the optimum first is taken and the other stopped. In wall time the proof then takes
about as long as the faster of the two (plus a process start, ~0.3 s), at the cost of a
second core while both run: a floor at plain HiGHS on one thread.

A process, not a thread: HiGHS keeps one task scheduler per process, sized by the first run
(see ``model.new_highs``), and a second solve started on it from another thread is not
independent of the first. The model goes to the child, and the answer comes back, through
``.npz`` files in a temporary folder, so neither side waits on a pipe. If the child cannot
start or fails, the optimiser goes on alone: the race only ever takes a proof it can check.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from leadshift.allocation.model import Model
from leadshift.core.lifetime import end_with

RACE_MIN_CORES = 2
"""The race runs only with this many cores to run on (the plain solve takes one)."""
RACE_MIN_COLUMNS = 150
"""Smaller models are proven in a few milliseconds, well before a process has started."""


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def spare_core() -> bool:
    """Whether a second core is free for the plain solve: at least 2 cores, and the last
    minute's load (this process's own part included) leaves more than half of one idle.

    On a busy machine the second solve only takes time from the first: at a load of 4 to 6
    on 2 cores the raced proofs took 1.4-1.9x the optimiser's alone (seeds 8 and 2)."""
    n = cores()
    try:
        load = os.getloadavg()[0]
    except OSError:  # no load figure: trust the core count
        load = 0.0
    return n >= RACE_MIN_CORES and load < n - 0.5


@dataclass
class Proof:
    """What plain HiGHS proved: an optimum within the gap, its plan (pulses) and bound."""

    x: np.ndarray
    bound: float


class PlainRace:
    def __init__(self, model: Model, *, time_limit: float, gap: float):
        self.model = model
        self.folder = tempfile.mkdtemp(prefix="leadshift-race-")
        given = Path(self.folder, "model.npz")
        self.answer = Path(self.folder, "answer.npz")
        m = model.matrix.tocsc()
        np.savez(
            given,
            cost=model.cost,
            col_upper=model.col_upper,
            row_lower=model.row_lower,
            row_upper=model.row_upper,
            start=m.indptr,
            index=m.indices,
            value=m.data,
            shape=np.asarray(m.shape),
            time_limit=np.asarray(time_limit),
            gap=np.asarray(gap),
        )
        env = dict(os.environ)
        # The child imports this package from where this process did, however it was found.
        here = str(Path(__file__).resolve().parents[2])
        env["PYTHONPATH"] = os.pathsep.join(p for p in (here, env.get("PYTHONPATH")) if p)
        self._read: list[Proof | None] | None = None
        self.process: subprocess.Popen[bytes] | None
        try:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "leadshift.allocation.race",
                    str(given),
                    str(self.answer),
                    str(os.getpid()),
                ],
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        except OSError:
            self.process = None

    def finished(self) -> bool:
        return self.process is None or self.process.poll() is not None

    def proof(self) -> Proof | None:
        """Plain HiGHS's proven optimum, once it has one that keeps every rule."""
        if self._read is None and self.finished():
            self._read = [self._proof()]
        return self._read[0] if self._read else None

    def _proof(self) -> Proof | None:
        if self.process is None or self.process.poll() != 0 or not self.answer.exists():
            return None
        with np.load(self.answer) as a:
            if not bool(a["optimal"]):
                return None
            x = np.round(a["x"])
            bound = float(a["bound"])
        if len(x) != self.model.num_col or self.model.violation(x) > 1e-6:
            return None
        return Proof(x, bound)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        shutil.rmtree(self.folder, ignore_errors=True)


def _solve(given: str, answer: str) -> None:
    import highspy
    from scipy import sparse

    from leadshift.allocation.model import highs_of

    with np.load(given) as g:
        csc = sparse.csc_matrix(
            (g["value"], g["index"], g["start"]), shape=tuple(int(v) for v in g["shape"])
        )
        h = highs_of(
            g["cost"], g["col_upper"], g["row_lower"], g["row_upper"], csc, integer=True, threads=1
        )
        h.setOptionValue("time_limit", float(g["time_limit"]))
        h.setOptionValue("mip_rel_gap", float(g["gap"]))
    h.run()
    optimal = h.getModelStatus() == highspy.HighsModelStatus.kOptimal
    x = np.asarray(h.getSolution().col_value) if optimal else np.zeros(0)
    partial = answer + ".part.npz"
    np.savez(partial, optimal=np.asarray(optimal), x=x, bound=h.getInfo().mip_dual_bound)
    # Whole or absent: the parent reads the answer only once this process has ended.
    os.replace(partial, answer)


if __name__ == "__main__":
    folder = Path(sys.argv[1]).parent
    end_with(int(sys.argv[3]), lambda: shutil.rmtree(folder, ignore_errors=True))
    _solve(sys.argv[1], sys.argv[2])
