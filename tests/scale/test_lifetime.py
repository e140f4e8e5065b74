"""A helper process ends with the process that started it, and leaves Ctrl+C to it."""

import os
import signal
import subprocess
import sys
import time

from leadshift.core.lifetime import gone

OWNER = """
import sys, time
from leadshift.scale.fanout import local_processes

pool = local_processes(1).executor
print(pool.submit(__import__("os").getpid).result(), flush=True)
time.sleep(60)
"""


def start_owner():
    owner = subprocess.Popen([sys.executable, "-c", OWNER], stdout=subprocess.PIPE, text=True)
    assert owner.stdout is not None
    return owner, int(owner.stdout.readline())


def ended(pid: int, within: float) -> bool:
    deadline = time.monotonic() + within
    while not gone(pid):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.2)
    return True


def test_a_pool_process_ignores_an_interrupt_its_owner_will_handle():
    owner, helper = start_owner()
    try:
        os.kill(helper, signal.SIGINT)
        assert not ended(helper, 1.5), "the interrupt is the owner's to act on"
    finally:
        owner.kill()
        owner.wait()


def test_a_pool_process_ends_when_its_owner_is_killed():
    owner, helper = start_owner()
    os.kill(owner.pid, signal.SIGKILL)
    owner.wait()
    assert ended(helper, 10)
