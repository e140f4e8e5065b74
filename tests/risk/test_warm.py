import subprocess
import sys

_LOADS = """
from leadshift.risk import kernel
from leadshift.risk.warm import warm
warm()
print(sum(kernel.run.stats.cache_hits.values()), sum(kernel.run.stats.cache_misses.values()))
"""


def test_after_the_warm_step_a_new_process_loads_the_trial_loop_instead_of_compiling_it():
    subprocess.run([sys.executable, "-m", "leadshift.risk.warm"], check=True, timeout=600)
    out = subprocess.run(
        [sys.executable, "-c", _LOADS], check=True, capture_output=True, text=True, timeout=600
    )
    hits, misses = (int(x) for x in out.stdout.split())
    assert (hits, misses) == (1, 0)
