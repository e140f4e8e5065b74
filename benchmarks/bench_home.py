"""Home page benchmark: what the leader's home costs on the demo organisation (about 60 people).

Loads the demo into a fresh SQLite database in a temporary folder, then renders, as Maya (the
demo's head of product, an admin with everyone below her), the home page, the team heatmap
page and the outbox a number of times, and prints each page's SQL query count and median
time. The team's readiness is read with a fixed number of queries, so the counts must not
grow with the team. The baseline is the same script run on the code before the outbox
branch (a query per person and per assessment on the heatmap page):

    PYTHONPATH=src python benchmarks/bench_home.py             # 10 renders per page
    PYTHONPATH=src python benchmarks/bench_home.py --repeat 3

Measured on the shared 2-core machine (load about 7), 5 renders each:

    page           before (main)          after (this branch)
    home           9 queries, 48 ms       37 queries, 323 ms  (now with the leader's list)
    team heatmap   327 queries, 1180 ms   14 queries, 274 ms
    outbox         —                      14 queries, 64 ms
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()
    os.environ["LEADSHIFT_DATA_DIR"] = tempfile.mkdtemp(prefix="leadshift-bench-home-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "leadshift.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    setup_test_environment()
    call_command("migrate", verbosity=0)
    from leadshift.demo import load_demo
    from leadshift.people.models import Person

    t0 = time.perf_counter()
    demo = load_demo(seed=7)
    print(f"demo loaded in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    maya = demo.leader
    below = len(Person.objects.visible_to(maya)) - 1
    client = Client()
    client.force_login(maya.user)
    print(f"Maya leads {below} people (directly and below)")
    print(f"{'page':<20}{'queries':>9}{'median ms':>11}")
    for name, url in (("home", "/"), ("team heatmap", "/feedback/team/"), ("outbox", "/outbox/")):
        client.get(url)
        times = []
        for _ in range(args.repeat):
            with CaptureQueriesContext(connection) as queries:
                t = time.perf_counter()
                r = client.get(url)
                times.append((time.perf_counter() - t) * 1000)
        if r.status_code != 200:
            print(f"{name:<20}{'—':>9}{'—':>11}  (answers {r.status_code} in this version)")
            continue
        print(f"{name:<20}{len(queries):>9}{statistics.median(times):>11.0f}")


if __name__ == "__main__":
    main()
