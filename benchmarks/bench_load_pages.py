"""Every page the load benchmark (bench_load.py) walks, one at a time through Django's test
client: its SQL query count and median time, for a product manager, the leader and the
planner of an already built large demo. Without the load benchmark's server and 40 users, so
a slow page shows its own cost (and the queries behind it) rather than the queue's.

The data folder is copied to a temporary folder first: the check-in and decision POSTs write.

    leadshift demo --size large                    # once, into LEADSHIFT_DATA_DIR
    LEADSHIFT_LOCAL=1 PYTHONPATH=src python benchmarks/bench_load_pages.py --data-dir DIR
    ... --repeat 9 --pm pm0007@contoso.example

Aim (issue #12): every page under 100 ms on a quiet machine, query counts that do not grow
with the organisation (tests/scale/test_query_counts.py).

Measured on the shared 2-core machine at a load average of 10 to 12 (other engineers' tests
running; a quiet machine is several times faster), 5 renders each, median, before (ab52591)
and after the reporting line moved into the database and large plans were summarised:

    page                         before               after
    PM: stakeholder map          13 q, 2681 ms        12 q,  538 ms
    PM: plan of record            5 q, 3465 ms         5 q,  604 ms   (826 kB -> 182 kB)
    planner: scenario            15 q, 8601 ms        15 q,  411 ms   (1.06 MB -> 420 kB)
    leader: reports              11 q, 3851 ms         7 q, 1166 ms
    leader: team heatmap         27 q, 2281 ms        19 q, 1047 ms
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import tempfile
import time
from datetime import date, timedelta
from typing import Any

LEADER = "lead@contoso.example"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data-dir", required=True, help="a folder holding the large demo")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--pm", default="pm0001@contoso.example")
    args = parser.parse_args()
    copy = tempfile.mkdtemp(prefix="leadshift-bench-load-pages-")
    shutil.copytree(args.data_dir, copy, dirs_exist_ok=True)
    os.environ["LEADSHIFT_DATA_DIR"] = copy
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "leadshift.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from leadshift.people.models import Person

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["*"]

    def measure(client: Client, name: str, method: str, url: str, data: Any = None) -> None:
        times, status, queries = [], 0, 0
        for _ in range(args.repeat):
            with CaptureQueriesContext(connection) as captured:
                t = time.perf_counter()
                r = client.post(url, data) if method == "POST" else client.get(url)
                times.append((time.perf_counter() - t) * 1000)
            status, queries = r.status_code, len(captured)
        print(
            f"{name:<24}{method:<5}{url:<36}{status:>4}{queries:>5} q{statistics.median(times):>8.0f} ms"
        )

    def signed_in(email: str) -> tuple[Client, str]:
        client = Client()
        client.force_login(Person.objects.get(email=email).user)
        return client, client.get("/").content.decode()

    today = date.today()
    pm, home = signed_in(args.pm)
    plan = re.search(r"/plans/(\d+)/", home)
    print(f"{'page':<24}{'':<5}{'url':<36}{'':>4}{'queries':>7}{'median':>9}")
    measure(pm, "PM: dashboard", "GET", "/")
    if plan:
        measure(pm, "PM: plan", "GET", f"/plans/{plan.group(1)}/")
    measure(pm, "PM: decisions", "GET", "/decisions/")
    measure(pm, "PM: stakeholders", "GET", "/stakeholders/")
    me = Person.objects.get(email=args.pm)
    measure(pm, "PM: stakeholder map", "GET", f"/people/{me.id}/stakeholders/")
    measure(pm, "PM: plan of record", "GET", "/planning/plan-of-record/")
    measure(pm, "PM: reports", "GET", "/reports/")
    if plan:
        checkin = {"date": today.isoformat(), "confidence": "4", "note": "load test"}
        measure(pm, "PM: check-in", "POST", f"/plans/{plan.group(1)}/checkins/", checkin)
    decision = {
        "question": "Ship the load test?",
        "kind": "product_bet",
        "decided_on": today.isoformat(),
        "reversible": "yes",
        "crit-name-0": "Value",
        "crit-weight-0": "1",
        "opt-name-0": "Ship",
        "score-0-0": "7",
        "chosen": "0",
        "forecast": "60",
        "review_on": (today + timedelta(days=90)).isoformat(),
    }
    measure(pm, "PM: decision", "POST", "/decisions/new/", decision)

    lead, _ = signed_in(LEADER)
    for name, url in [
        ("leader: dashboard", "/"),
        ("leader: team heatmap", "/feedback/team/"),
        ("leader: my team", "/team/"),
        ("leader: portfolio", "/portfolio/"),
        ("leader: initiatives", "/portfolio/initiatives/"),
        ("leader: risks", "/risks/"),
        ("leader: reports", "/reports/"),
    ]:
        measure(lead, name, "GET", url)
    planning = lead.get("/planning/").content.decode()
    measure(lead, "planner: planning", "GET", "/planning/")
    scenario = re.search(r"/planning/scenarios/(\d+)/", planning)
    if scenario:
        measure(lead, "planner: scenario", "GET", f"/planning/scenarios/{scenario.group(1)}/")
    print(f"(load average {' '.join(f'{x:.2f}' for x in os.getloadavg())})")
    shutil.rmtree(copy, ignore_errors=True)


if __name__ == "__main__":
    main()
