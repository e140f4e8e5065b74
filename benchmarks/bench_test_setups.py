"""What a test process of `make test` pays before and around its tests, old way beside new,
alternating (A B A B) in one run, each with the seconds of CPU it took:

- a PostgreSQL test database: Django's migrate in an empty database, against CREATE DATABASE
  from the template `leadshift migrate` made once (tests/user_shell.pg_template);
- the demo in a PostgreSQL test's database: `load_demo(seed=7)` built in the process,
  against the command's SQLite rows copied through the models (tests/demo_snapshot.py);
- collecting the suite: with PYTHONDONTWRITEBYTECODE (as this machine's environment sets it)
  every process rewrites every test module's asserts, against a process that finds the
  bytecode an earlier one wrote (scripts/test.sh unsets it).

    .venv/bin/python benchmarks/bench_test_setups.py [--repeat 2]

Needs PostgreSQL's binaries (scripts/pg.sh starts a throwaway server). CPU is this process's
and its children's, not the PostgreSQL server's; wall time moves with the machine's load.

Measured on the shared 2-core machine (load average 4-6, other engineers' tests running),
pinned to one core (taskset -c 1), at 0a28170, two rounds:

    pytest --collect-only              old 18.6 s (12.3 s CPU)   new 14.6 s (9.2 s CPU)
                                       old 15.1 s (12.9 s CPU)   new 13.8 s (9.2 s CPU)
    a test database (migrate/template) old 14.7 s ( 6.6 s CPU)   new  0.9 s (0.4 s CPU)
                                       old 14.1 s ( 6.4 s CPU)   new  0.7 s (0.2 s CPU)
    the demo (load_demo/copied rows)   old 41.2 s (16.3 s CPU)   new  2.0 s (0.6 s CPU)
                                       old 36.7 s (15.5 s CPU)   new  2.2 s (0.6 s CPU)

And unpinned at a lower load (1.1-1.5), one round:

    pytest --collect-only              old 13.6 s (13.9 s CPU)   new  9.4 s (9.6 s CPU)
    a test database (migrate/template) old  8.1 s ( 7.6 s CPU)   new  0.5 s (0.3 s CPU)
    the demo (load_demo/copied rows)   old 25.0 s (19.2 s CPU)   new  1.5 s (0.8 s CPU)

(the database's CPU is mostly the server's: the wall time is the figure there). Per-file
pytest durations on PostgreSQL, before and after, unpinned: test_reach's first set-up
15.6 -> 1.0 s, the demo brief's set-up 30.3 -> 2.3 s, demo behaviours 31.4 -> 3.3 s, the
backup module's set-up (with the database) 39.4 -> 20.6 s.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(1, str(REPO / "src"))


def cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def measured(fn: Callable[[], object]) -> tuple[float, float]:
    c0, t0 = cpu(), time.monotonic()
    fn()
    return time.monotonic() - t0, cpu() - c0


def load() -> str:
    return "load " + " ".join(f"{x:.1f}" for x in os.getloadavg())


def report(name: str, old: list[tuple[float, float]], new: list[tuple[float, float]]) -> None:
    for (ow, oc), (nw, nc) in zip(old, new, strict=True):
        print(f"  {name:<34} old {ow:6.1f} s ({oc:5.1f} s CPU)   new {nw:6.1f} s ({nc:5.1f} s CPU)")


def collection(repeat: int) -> None:
    """pytest --collect-only with no bytecode of the repository's modules and none written
    (PYTHONDONTWRITEBYTECODE), against one that finds what an earlier process wrote. Removes
    the repository's *.pyc files (caches, written again by the next process)."""
    bin_dir = Path(sys.executable).parent
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    command = [str(bin_dir / "pytest"), "--collect-only", "-q", "-p", "no:xdist"]

    def collect(**extra: str) -> None:
        subprocess.run(command, cwd=REPO, env={**env, **extra}, capture_output=True, check=True)

    def drop_bytecode() -> None:
        for folder in ("src", "tests", "benchmarks"):
            for pyc in (REPO / folder).rglob("*.pyc"):
                pyc.unlink()

    old: list[tuple[float, float]] = []
    new: list[tuple[float, float]] = []
    for _ in range(repeat):
        drop_bytecode()
        old.append(measured(lambda: collect(PYTHONDONTWRITEBYTECODE="1")))
        collect()  # the first process of a run, writing the bytecode
        new.append(measured(collect))
    print(f"collecting the suite ({load()})")
    report("pytest --collect-only", old, new)


def postgresql(repeat: int) -> None:
    from tests.user_shell import PG_TEMPLATE_NAME, demo_folder, pg_template

    pgdir = tempfile.mkdtemp(prefix="leadshift-bench-pg-")
    url = subprocess.run(
        ["scripts/pg.sh", "start", pgdir], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout.strip()
    made_in: Path | None = None
    try:
        # The command's own data folder: pg.sh keeps the server's in PGDIR/data.
        made_in = Path(tempfile.mkdtemp(prefix="leadshift-bench-data-")) / "data"
        made = pg_template(url, made_in)
        assert made.code == 0, made
        demo = demo_folder(7).data / "leadshift.sqlite3"
        os.environ["DATABASE_URL"] = url
        os.environ["LEADSHIFT_DATA_DIR"] = str(made_in.parent / "in-process")
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "leadshift.settings")
        import django

        django.setup()
        from django.conf import settings
        from django.db import connection, transaction
        from tests.demo_snapshot import _restore_through_models

        from leadshift.demo import load_demo

        # As in the tests (tests/conftest.py): the demo's accounts hash quickly.
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
        test = connection.settings_dict["TEST"]

        def database(template: str | None) -> Callable[[], None]:
            def make() -> None:
                test["TEMPLATE"] = template
                connection.creation.create_test_db(verbosity=0, autoclobber=True)

            return make

        def in_rolled_back(fn: Callable[[], object]) -> Callable[[], None]:
            def run() -> None:
                with transaction.atomic():
                    fn()
                    transaction.set_rollback(True)

            return run

        old_db: list[tuple[float, float]] = []
        new_db: list[tuple[float, float]] = []
        old_demo: list[tuple[float, float]] = []
        new_demo: list[tuple[float, float]] = []
        name = connection.settings_dict["NAME"]
        for _ in range(repeat):
            for way, into in ((None, old_db), (PG_TEMPLATE_NAME, new_db)):
                into.append(measured(database(way)))
                connection.creation.destroy_test_db(name, verbosity=0)
        database(PG_TEMPLATE_NAME)()
        for _ in range(repeat):
            old_demo.append(measured(in_rolled_back(lambda: load_demo(seed=7))))
            new_demo.append(measured(in_rolled_back(lambda: _restore_through_models(demo))))
        print(f"PostgreSQL ({load()})")
        report("a test database (migrate/template)", old_db, new_db)
        report("the demo (load_demo/copied rows)", old_demo, new_demo)
        connection.close()
    finally:
        subprocess.run(["scripts/pg.sh", "stop", pgdir], cwd=REPO, check=False)
        if made_in is not None:
            shutil.rmtree(made_in.parent, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    collection(args.repeat)
    postgresql(args.repeat)


if __name__ == "__main__":
    main()
