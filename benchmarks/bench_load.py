"""Load benchmark: PMs and leaders sign in and walk their main pages, some write (check-ins,
stakeholder contacts, decisions), against `leadshift serve` started here on 127.0.0.1 with the
large demo; each run once with no background work and once while a leader keeps a simulation
and an optimiser run going. Each database (SQLite, and PostgreSQL from scripts/pg.sh) is
measured with several web processes beside the baseline of one; for each run it prints
requests/s, p50/p95/p99 per page and errors, then each run beside its baseline (requests/s
as a multiple of one process's, worst p95). On PostgreSQL it also prints the most
connections open at once against the server's max_connections.

    python benchmarks/bench_load.py                         # 40 users, 60 s per run, both databases
    python benchmarks/bench_load.py --db sqlite --duration 30 --users 20
    python benchmarks/bench_load.py --size standard         # the 60-person demo, quicker to build
    python benchmarks/bench_load.py --db postgres --duration 10 --users 10   # a quick check

The demo database is built once per database and size and kept under .bench/ (delete it to
rebuild). Aim: p95 under 300 ms for every page except PDFs, and no errors.
"""

from __future__ import annotations

from gevent import monkey

monkey.patch_all()  # locust's users are greenlets: patch before anything opens a socket

import argparse  # noqa: E402
import contextlib  # noqa: E402
import os  # noqa: E402
import random  # noqa: E402
import re  # noqa: E402
import shutil  # noqa: E402
import signal  # noqa: E402
import socket  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import urllib.request  # noqa: E402
from collections.abc import Iterator  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import gevent  # noqa: E402
from locust import HttpUser, User, between, events, task  # noqa: E402
from locust.env import Environment  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
LEADSHIFT = str(Path(sys.executable).with_name("leadshift"))
CACHE = ROOT / ".bench"
PASSWORD = "leadshift-demo"
ACCOUNTS = {
    "large": ("lead@contoso.example", [f"pm{i:04}@contoso.example" for i in range(0, 1800, 7)]),
    "standard": ("maya.okafor@northwind.example", ["sam.rivera@northwind.example"]),
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def env_for(data_dir: Path, database_url: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "PYTHONPATH")}
    env["LEADSHIFT_DATA_DIR"] = str(data_dir)
    env["LEADSHIFT_LOCAL"] = "1"  # plain HTTP on 127.0.0.1, as `make run` serves
    env.pop("DATABASE_URL", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


@contextlib.contextmanager
def database(kind: str, size: str) -> Iterator[tuple[Path, str | None]]:
    """The demo database: SQLite kept under .bench/, or a throwaway PostgreSQL server."""
    data_dir = CACHE / f"{kind}-{size}"
    if kind == "sqlite":
        yield data_dir, None
        return
    pg_dir = Path(f"/tmp/leadshift-bench-pg-{os.getpid()}")
    data_dir = Path(f"/tmp/leadshift-bench-pgdata-{os.getpid()}")
    try:
        url = subprocess.run(
            [str(ROOT / "scripts/pg.sh"), "start", str(pg_dir)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        import psycopg

        with psycopg.connect(admin_url(url), autocommit=True) as conn:
            conn.execute("CREATE DATABASE leadshift")
        yield data_dir, url
    finally:
        subprocess.run([str(ROOT / "scripts/pg.sh"), "stop", str(pg_dir)], check=False)
        shutil.rmtree(data_dir, ignore_errors=True)


def admin_url(url: str) -> str:
    return url.rsplit("/", 1)[0] + "/postgres"


class Connections:
    """The most connections open at once to the PostgreSQL server while a run goes on
    (web processes, the task worker), sampled every half second."""

    def __init__(self, url: str | None):
        self.url = url
        self.peak = 0
        self.limit = 0
        self._sampler: Any = None
        self._going = True

    def __enter__(self) -> Connections:
        if self.url:
            self._sampler = gevent.spawn(self._sample)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._sampler is not None:
            # Let the query in hand finish: killed midway, psycopg complains on the way out.
            self._going = False
            self._sampler.join(timeout=5)

    def _sample(self) -> None:
        import psycopg

        with psycopg.connect(admin_url(self.url or ""), autocommit=True) as conn:
            self.limit = int(conn.execute("SHOW max_connections").fetchone()[0])  # type: ignore[index]
            while self._going:
                row = conn.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = 'leadshift'"
                ).fetchone()
                self.peak = max(self.peak, int(row[0]) if row else 0)
                gevent.sleep(0.5)


def build_demo(data_dir: Path, url: str | None, size: str) -> None:
    marker = data_dir / f"demo-{size}.done"
    if url is None and marker.exists():
        return
    started = time.monotonic()
    cmd = [LEADSHIFT, "demo"] + (["--size", "large"] if size == "large" else [])
    subprocess.run(cmd, env=env_for(data_dir, url), check=True, stdout=subprocess.DEVNULL)
    print(f"  built the {size} demo in {time.monotonic() - started:.0f} s", flush=True)
    if url is None:
        marker.write_text("")


@contextlib.contextmanager
def server(data_dir: Path, url: str | None, workers: int) -> Iterator[str]:
    port = free_port()
    log = data_dir / "serve.log"
    proc = subprocess.Popen(
        [LEADSHIFT, "serve", "--no-demo", "--workers", str(workers), "--port", str(port)],
        env=env_for(data_dir, url),
        stdout=subprocess.DEVNULL,
        stderr=log.open("w"),
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180
        while True:
            with contextlib.suppress(OSError):
                if urllib.request.urlopen(base + "/health", timeout=5).status == 200:
                    break
            if proc.poll() is not None or time.monotonic() > deadline:
                sys.exit(f"leadshift serve did not start; its output:\n{log.read_text()}")
            time.sleep(0.5)
        yield base
    finally:
        os.killpg(proc.pid, signal.SIGINT)
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


class SignedIn(HttpUser):
    abstract = True
    email = ""

    def on_start(self) -> None:
        page = self.client.get("/login/", name="login form")
        token = page.cookies.get("csrftoken") or self.client.cookies.get("csrftoken", "")
        self.client.post(
            "/login/",
            {"username": self.email, "password": PASSWORD, "csrfmiddlewaretoken": token},
            headers={"Referer": f"{self.host}/login/"},
            name="sign in",
        )
        home = self.client.get("/", name="dashboard").text
        plan = re.search(r"/plans/(\d+)/", home)
        self.plan_id = int(plan.group(1)) if plan else None
        SIGNED_IN.add(id(self))

    def post(self, url: str, data: dict[str, Any], name: str) -> None:
        data["csrfmiddlewaretoken"] = self.client.cookies.get("csrftoken", "")
        self.client.post(url, data, headers={"Referer": f"{self.host}{url}"}, name=name)


class ProductManager(SignedIn):
    weight = 4
    wait_time = between(1, 3)

    def on_start(self) -> None:
        self.email = random.choice(ACCOUNTS[SIZE][1])
        super().on_start()

    @task(4)
    def dashboard(self) -> None:
        self.client.get("/", name="dashboard")

    @task(2)
    def plan(self) -> None:
        if self.plan_id:
            self.client.get(f"/plans/{self.plan_id}/", name="plan")

    @task(2)
    def decisions(self) -> None:
        self.client.get("/decisions/", name="decisions")

    @task(2)
    def stakeholders(self) -> None:
        self.client.get("/stakeholders/", name="stakeholders")

    @task(1)
    def plan_of_record(self) -> None:
        self.client.get("/planning/plan-of-record/", name="plan of record")

    @task(1)
    def reports(self) -> None:
        self.client.get("/reports/", name="reports")

    @task(1)
    def check_in(self) -> None:
        if self.plan_id:
            self.post(
                f"/plans/{self.plan_id}/checkins/",
                {"date": time.strftime("%Y-%m-%d"), "confidence": "4", "note": "load test"},
                "write: check-in",
            )

    @task(1)
    def decision(self) -> None:
        self.post(
            "/decisions/new/",
            {
                "question": "Ship the load test?",
                "kind": "product_bet",
                "decided_on": time.strftime("%Y-%m-%d"),
                "reversible": "yes",
                "crit-name-0": "Value",
                "crit-weight-0": "1",
                "opt-name-0": "Ship",
                "score-0-0": "7",
                "chosen": "0",
                "forecast": "60",
                "review_on": time.strftime("%Y-%m-%d", time.gmtime(time.time() + 90 * 86400)),
            },
            "write: decision",
        )


class Leader(SignedIn):
    weight = 1
    wait_time = between(1, 3)

    def on_start(self) -> None:
        self.email = ACCOUNTS[SIZE][0]
        super().on_start()

    @task(3)
    def dashboard(self) -> None:
        self.client.get("/", name="dashboard")

    @task(2)
    def heatmap(self) -> None:
        self.client.get("/feedback/team/", name="team heatmap")

    @task(2)
    def team(self) -> None:
        self.client.get("/team/", name="my team")

    @task(1)
    def portfolio(self) -> None:
        self.client.get("/portfolio/", name="portfolio")

    @task(1)
    def initiatives(self) -> None:
        self.client.get("/portfolio/initiatives/", name="initiatives")

    @task(2)
    def risks(self) -> None:
        self.client.get("/risks/", name="risk register")

    @task(1)
    def reports(self) -> None:
        self.client.get("/reports/", name="reports")


class Planner(SignedIn):
    """One leader who keeps the worker busy: a simulation and an optimiser run at a time."""

    fixed_count = 1
    wait_time = between(5, 10)

    def on_start(self) -> None:
        self.email = ACCOUNTS[SIZE][0]
        super().on_start()
        page = self.client.get("/planning/", name="planning").text
        found = re.search(r"/planning/scenarios/(\d+)/", page)
        self.scenario = int(found.group(1)) if found else None

    @task
    def background_work(self) -> None:
        self.post("/simulations/", {"trials": "5000", "seed": "1"}, "start: simulation")
        if self.scenario:
            self.post(
                f"/planning/scenarios/{self.scenario}/run/",
                {"time_limit": "5", "gap": "1"},
                "start: optimiser run",
            )


SIZE = "large"
SIGNED_IN: set[int] = set()


def measure(base: str, users: int, duration: float, background: bool) -> dict[str, Any]:
    """`background`: one of the users is a Planner keeping a simulation and a run going."""
    classes: list[type[User]] = [ProductManager, Leader]
    if background:
        classes.append(Planner)
    env = Environment(user_classes=classes, host=base, events=events)
    runner = env.create_local_runner()
    SIGNED_IN.clear()
    started = time.monotonic()
    runner.start(users, spawn_rate=max(1, users / 5))
    # Signing in is a password hash per user (PBKDF2, on purpose slow): let every user sign
    # in first, then measure the pages they walk from a clean slate.
    while len(SIGNED_IN) < users and time.monotonic() - started < 300:
        gevent.sleep(0.5)
    ramp = time.monotonic() - started
    env.stats.reset_all()
    gevent.sleep(duration)
    runner.quit()
    rows = {}
    for (name, method), entry in sorted(env.stats.entries.items()):
        rows[f"{method} {name}"] = (
            entry.num_requests,
            entry.num_failures,
            entry.get_response_time_percentile(0.5),
            entry.get_response_time_percentile(0.95),
            entry.get_response_time_percentile(0.99),
        )
    total = env.stats.total
    return {
        "ramp": ramp,
        # Over the measured window: locust's own total_rps divides by the time between the
        # first and the last request, which a handful of slow requests makes look fast.
        "rps": total.num_requests / duration,
        "requests": total.num_requests,
        "failures": total.num_failures,
        "rows": rows,
        "errors": [
            f"{e.method} {e.name}: {e.error} ×{e.occurrences}" for e in env.stats.errors.values()
        ],
    }


def worst_p95(r: dict[str, Any]) -> tuple[float, str]:
    """The slowest page's p95, PDFs and the starts of background work aside."""
    pages = [
        (row[3], name)
        for name, row in r["rows"].items()
        if "start:" not in name and "pdf" not in name.lower() and row[0]
    ]
    return max(pages, default=(0.0, "-"))


def beside_baseline(kind: str, runs: list[tuple[int, bool, dict[str, Any]]]) -> None:
    """Each run beside the run with one web process and the same background work."""
    base = {bg: r for workers, bg, r in runs if workers == 1}
    print(f"\n{kind}: each run beside the baseline of one web process")
    print(
        f"  {'web processes':14} {'background':22} {'req/s':>7} {'x base':>7} {'worst p95':>10}  errors"
    )
    for workers, bg, r in runs:
        ratio = r["rps"] / base[bg]["rps"] if base.get(bg) and base[bg]["rps"] else float("nan")
        p95, page = worst_p95(r)
        what = "a simulation and a run" if bg else "none"
        print(
            f"  {workers:<14} {what:22} {r['rps']:7.1f} {ratio:7.2f} {p95:8.0f} ms  "
            f"{r['failures']}  (slowest: {page})"
        )


def report(label: str, r: dict[str, Any]) -> None:
    print(
        f"\n{label}: {r['rps']:.1f} requests/s, {r['requests']} requests, {r['failures']} errors "
        f"(after {r['ramp']:.0f} s for every user to sign in)"
    )
    print(f"  {'page':34} {'n':>6} {'err':>4} {'p50':>7} {'p95':>7} {'p99':>7}  (ms)")
    for name, (n, err, p50, p95, p99) in r["rows"].items():
        if not n:
            continue  # only asked while signing in, before the figures were reset
        flag = "  over 300 ms" if p95 > 300 and "start:" not in name else ""
        print(f"  {name:34} {n:6} {err:4} {p50:7.0f} {p95:7.0f} {p99:7.0f}{flag}")
    for e in r["errors"][:10]:
        print(f"  error: {e}")


def main() -> None:
    global SIZE
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    ap.add_argument("--size", choices=["large", "standard"], default="large")
    ap.add_argument("--users", type=int, default=40)
    ap.add_argument("--duration", type=float, default=60.0, help="seconds per run")
    ap.add_argument(
        "--workers", type=int, default=len(os.sched_getaffinity(0)), help="web processes"
    )
    args = ap.parse_args()
    SIZE = args.size
    kinds = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    for kind in kinds:
        with database(kind, args.size) as (data_dir, url):
            print(
                f"== {kind}, {args.size} demo, {args.users} users, {args.duration:g} s per run",
                flush=True,
            )
            build_demo(data_dir, url, args.size)
            runs = []
            for workers in sorted({1, args.workers}):
                for background in (False, True):
                    with server(data_dir, url, workers) as base, Connections(url) as conns:
                        result = measure(base, args.users, args.duration, background)
                    label = f"{kind}, {workers} web process{'es' if workers > 1 else ''}"
                    label += (
                        ", a simulation and a run going" if background else ", no background work"
                    )
                    report(label + (" (baseline)" if workers == 1 else ""), result)
                    if url:
                        print(
                            f"  PostgreSQL connections: at most {conns.peak} open at once "
                            f"(max_connections {conns.limit})"
                        )
                    runs.append((workers, background, result))
            beside_baseline(kind, runs)


if __name__ == "__main__":
    main()
