"""List pages at scale: what each paged list and the team heatmap cost for the large demo's
leader (about 2,000 people below her, 5,000 initiatives, 300 risks) beside the 60-person
demo's leader as baseline.

Loads both demos into a fresh SQLite database in a temporary folder, then renders each page
as each leader a number of times through Django's test client and prints the page's SQL
query count and median time. The counts must be the same for both organisations (the pages
read a bounded page with a fixed number of queries); the times say how far from "well under
a second" a page is.

    PYTHONPATH=src python benchmarks/bench_pages.py              # 5 renders per page
    PYTHONPATH=src python benchmarks/bench_pages.py --repeat 3 --people 2000

Measured on the shared 2-core machine at a load average of 11 to 13 (six other engineers'
tests running: an idle machine is several times faster), 3 renders each, median:

    page                      60-person demo     large, first cut             large demo
    my team                   14 q,  609 ms      14 q, 14210 ms               14 q, 2845 ms
    team heatmap              27 q, 1036 ms      16 q, 19513 ms               27 q, 2037 ms
    heatmap, one team         20 q,  379 ms      —                            28 q, 1834 ms
    initiatives               15 q,  465 ms      —                            15 q,  245 ms
    initiatives, page 40      15 q,  467 ms      —                            15 q,  357 ms
    risks                     11 q,  272 ms      —                             9 q,  310 ms
    decisions                  5 q,  155 ms      —                             5 q,  114 ms

The leader's pages after readiness was kept (assessments/standing.py) and the dashboard's
flagged risks and radar read only what they show, on the large demo of /work/bench/large
(2,000 people) through the test client, 5 renders each, median; before is the same data
folder at ab52591; both measured back to back at a load average of 11 (the shared machine
busy: the ratio is the figure to read; at ab52591 on a quiet machine the dashboard took
2,840 ms, My team 656, reports 403, the heatmap 247, so a quiet machine is 3 to 6 times
faster):

    page                      before                       after
    dashboard                 46 q, 12562 ms               41 q,  361 ms
    my team                   14 q,  2427 ms               17 q,  355 ms
    reports                   11 q,  1347 ms               13 q,  243 ms
    team heatmap              27 q,  1460 ms               25 q,  769 ms

(The people's IN lists of `visible_to` remain in every one of them: a quarter of the
dashboard's and the reports' time.)

(The 60-person column comes from this script; "first cut": paged, but every readiness
profile read through models and the whole heatmap estimated; the last column from
the same pages on a large demo built by `leadshift demo --size large`, after the last change.
A count differs between the two organisations only where a filter finds nothing in the small
one, so the page has no rows to prefetch for; tests/scale/test_query_counts.py checks the
counts on one organisation at two sizes.)
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
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--initiatives", type=int, default=5000)
    args = parser.parse_args()
    os.environ["LEADSHIFT_DATA_DIR"] = tempfile.mkdtemp(prefix="leadshift-bench-pages-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "leadshift.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment
    from django.urls import reverse

    setup_test_environment()
    call_command("migrate", verbosity=0)
    from leadshift.demo import load_demo
    from leadshift.people.models import Person
    from leadshift.scale.large_demo import LARGE_LEADER_EMAIL, load_large_demo

    t0 = time.perf_counter()
    small = load_demo(seed=7).leader
    t1 = time.perf_counter()
    load_large_demo(people=args.people, initiatives=args.initiatives, trials=500)
    t2 = time.perf_counter()
    large = Person.objects.get(email=LARGE_LEADER_EMAIL)
    print(f"demo {t1 - t0:.0f} s, large demo {t2 - t1:.0f} s", file=sys.stderr)

    def pages(leader: Person) -> list[tuple[str, str]]:
        return [
            ("dashboard", "/"),
            ("reports", "/reports/"),
            ("my team", "/team/"),
            ("my team, page 3 sorted", "/team/?sort=-readiness&page=3"),
            ("team heatmap", "/feedback/team/"),
            ("heatmap, one team", "/feedback/team/?f_team=Squad+007"),
            ("initiatives", "/portfolio/initiatives/"),
            ("initiatives, page 40", "/portfolio/initiatives/?sort=-effort&page=40"),
            ("initiatives, search", "/portfolio/initiatives/?q=squad+01&f_horizon=core"),
            ("risks", "/risks/"),
            ("decisions", "/decisions/"),
            ("stakeholders", reverse("stakeholder_map", args=[leader.id])),
        ]

    print(f"{'page':<26}{'60-person demo':>22}{'large demo':>24}")
    for (name, small_url), (_, large_url) in zip(pages(small), pages(large), strict=True):
        cells = []
        for leader, url in ((small, small_url), (large, large_url)):
            below = Person.objects.visible_to(leader).count() - 1
            client = Client()
            client.force_login(leader.user)
            r = client.get(url, secure=True)
            assert r.status_code == 200, (url, r.status_code)
            times = []
            for _ in range(args.repeat):
                with CaptureQueriesContext(connection) as queries:
                    t = time.perf_counter()
                    client.get(url, secure=True)
                    times.append((time.perf_counter() - t) * 1000)
            cells.append(f"{len(queries)} q, {statistics.median(times):.0f} ms")
        print(f"{name:<26}{cells[0]:>22}{cells[1]:>24}")
    print(f"(the large demo's leader sees {below} people)")


if __name__ == "__main__":
    main()
