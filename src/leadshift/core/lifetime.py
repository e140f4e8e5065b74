"""Helper processes (a simulation's or a sweep's pool, a raced solve) that end with the
process that started them. Plain Python: no Django."""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Callable
from pathlib import Path


def gone(pid: int) -> bool:
    """Whether the process has ended (a zombie not yet reaped counts as ended)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state == "Z"


def end_with(owner: int, cleanup: Callable[[], None] | None = None) -> None:
    """Run in a helper process: end it, after ``cleanup``, once ``owner`` has ended.

    A parent killed outright (SIGKILL, out of memory) cannot stop its helpers, which would
    otherwise run on. Ctrl+C is left to the owner, which stops its helpers itself: a
    terminal's interrupt reaches the whole process group, and each helper would print its
    own KeyboardInterrupt traceback."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)

    def watch() -> None:
        while not gone(owner):
            time.sleep(0.5)
        if cleanup is not None:
            cleanup()
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()
