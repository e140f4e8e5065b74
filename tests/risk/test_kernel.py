import numpy as np
import pytest

from leadshift.risk import kernel
from leadshift.risk.compiled import Compiled
from leadshift.risk.engine import BLOCK, block_seed, run_chunk
from leadshift.risk.scenario import Range, SimDriver, SimObjective, SimRisk
from leadshift.risk.simulation import simulate

from .helpers import initiative, scenario


def _everything(value_losses_per_initiative: int = 1):
    """Every part of the model: PERT and triangular values and efforts, a dependency chain,
    a driver, delays, value losses, extra effort, deadlines and objectives (one of them
    with no initiative)."""
    losses = tuple(
        SimRisk(f"loss{k}", 0.3, ("a",), value_loss_share=0.05 * (k + 1))
        for k in range(value_losses_per_initiative)
    )
    return scenario(
        initiative("a", value=Range(5, 10, 30), effort=Range(3, 5, 9), duration=2, deadline=2),
        initiative(
            "b",
            value=Range(1, 2, 3, "pert"),
            effort=Range(4, 5, 6, "pert"),
            start=1,
            after=("a",),
            objectives=("o",),
        ),
        initiative("c", value=8.0, effort=Range(2, 5, 5), duration=3, start=2),
        initiative("d", value=Range(-2, 1, 4), after=("b", "c"), objectives=("o", "p")),
        periods=6,
        drivers=(SimDriver("dr", 0.3),),
        risks=(
            SimRisk("r1", 0.2, ("a", "c"), delay_periods=1, value_loss_share=0.1, driver="dr"),
            SimRisk("r2", 0.5, ("b",), extra_effort={"team": 0.3}),
            SimRisk("r3", 0.4, ("b", "d"), delay_periods=0.5, value_loss_share=0.2),
            SimRisk("r4", 0.1, ("c",), extra_effort={"team": 0.5}, driver="dr"),
            *losses,
        ),
        objectives=(SimObjective("o", 9.0, ()), SimObjective("none", 1.0, ())),
    )


def test_the_compiled_loop_draws_numpys_sfc64_stream_for_each_block():
    for seed, block in [(0, 0), (7, 3), (2**40, 12345)]:
        numpys = np.random.SFC64(np.random.SeedSequence(seed, spawn_key=(block,)))
        expected = numpys.random_raw(500).view(np.uint32)
        assert np.array_equal(kernel.sfc64_bits(block_seed(seed, block), 1000), expected)


@pytest.mark.parametrize("losses", [1, 8])
@pytest.mark.parametrize("first,count", [(0, 3 * BLOCK), (BLOCK // 2, 5 * BLOCK + 7)])
def test_the_compiled_loop_gives_the_numpy_loops_results_trial_for_trial(losses, first, count):
    c = Compiled(_everything(losses))
    # Eight value losses on one initiative are binned by the share kept, not coded.
    assert c.loss_by_code == (losses == 1)
    fast = run_chunk(c, 5, first, count)
    ref = run_chunk(c, 5, first, count, kernel="numpy")
    assert fast.trials == ref.trials == count
    for name in (
        "finish_counts",
        "objective_finish_counts",
        "objective_reach",
        "risk_count",
        "driver_count",
    ):
        assert np.array_equal(getattr(fast, name), getattr(ref, name)), name
    # Counts by the share kept depend on float32 exp, which may differ in its last bit.
    assert np.abs(fast.loss_counts - ref.loss_counts).sum() <= (0 if losses == 1 else 2)
    for name in ("total", "objective_values", "loss_sums", "risk_sum", "driver_sum"):
        assert np.allclose(getattr(fast, name), getattr(ref, name), rtol=1e-6, atol=1e-5), name


def test_a_simulation_is_the_same_by_either_loop():
    s = _everything()
    compiled = simulate(s, trials=2_000, seed=3, workers=2)
    c = Compiled(s)
    chunks = [run_chunk(c, 3, first, 500, kernel="numpy") for first in range(0, 2_000, 500)]
    finish = sum(ch.finish_counts for ch in chunks)
    assert [r.finish.counts for r in compiled.initiatives] == [tuple(row) for row in finish]
    total = np.concatenate([ch.total for ch in chunks])
    assert compiled.total_value.mean == pytest.approx(total.mean(), rel=1e-9)


def test_every_scenario_runs_on_one_compiled_loop():
    """A scenario whose arrays had another type or layout would compile the loop again,
    which takes seconds."""
    for s in (_everything(1), _everything(8), scenario(initiative("x")), _everything(0)):
        simulate(s, trials=300, seed=1)
        simulate(s, trials=300, seed=1, mitigated=())
    assert len(kernel.run.signatures) == 1


@pytest.mark.parametrize(
    "keys",
    [
        [3] * BLOCK,
        list(range(BLOCK)),
        [0, 1, 2, 255] * (BLOCK // 4),
        [5 + k % 16 for k in range(BLOCK)],
        [k % 7 + 40 * (k % 3) for k in range(BLOCK)],
        [k % 12 + 20 * (k % 11) for k in range(BLOCK - 3)],
    ],
)
def test_the_compiled_loop_counts_keys_of_any_spread_exactly(keys):
    counts = np.full(3 * 256, 7, dtype=np.int64)
    keys = np.array(keys, dtype=np.int32)
    kernel._tally(keys, len(keys), counts, 256)
    expected = np.full(3 * 256, 7, dtype=np.int64)
    expected[256:512] += np.bincount(keys, minlength=256)
    assert np.array_equal(counts, expected)


def test_an_unknown_kernel_is_refused():
    with pytest.raises(ValueError, match="unknown kernel"):
        run_chunk(Compiled(_everything()), 0, 0, 10, kernel="fortran")
