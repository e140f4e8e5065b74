"""Reading a portfolio file against the plain parsers reading the same bytes.

`read_portfolio` parses, checks and validates the whole file, keeping every error placed by
line. Lines used to be recorded for every value while parsing (460-650x `json.load`: 5-7 s for
2,000 initiatives, 13-15 s for 5,000); now the line map is built only when a problem needs it.

    .venv/bin/python benchmarks/bench_portfolio_read.py [--sizes 2000 5000]
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

from leadshift.allocation.problem import read_portfolio

BEFORE = {2000: "5-7 s", 5000: "13-15 s"}


def document(n: int, *, seed: int = 0) -> dict[str, Any]:
    rng = random.Random(seed)
    teams = [f"team-{t}" for t in range(max(4, n // 50))]
    periods = ["Q1", "Q2", "Q3", "Q4"]
    initiatives = []
    for i in range(n):
        chosen = rng.sample(teams, 2)
        item: dict[str, Any] = {
            "id": f"init-{i}",
            "value": {"low": 10, "likely": rng.randint(20, 80), "high": 150},
            "effort": {chosen[0]: rng.randint(1, 8), chosen[1]: rng.randint(1, 4)},
            "duration": rng.choice([1, 1, 2]),
            "horizon": rng.choice(["core", "core", "adjacent", "transformational"]),
            "objectives": ["revenue"],
        }
        if i > 10 and rng.random() < 0.2:
            item["after"] = [f"init-{rng.randrange(i)}"]
        initiatives.append(item)
    return {
        "periods": periods,
        "teams": [{"id": t, "capacity": n // 10 + 20} for t in teams],
        "objectives": [{"id": "revenue", "weight": 2}, {"id": "retention", "weight": 1}],
        "initiatives": initiatives,
    }


def best_of(repeat: int, fn: Any) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return min(times)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000, 5000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="2,000 initiatives, one run")
    args, _ = parser.parse_known_args(argv)  # `make bench BENCH_ARGS=…` passes every bench's
    if args.quick:
        args.sizes, args.repeat = [2000], 1
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    print(
        f"{'file':<22} {'bytes':>9} {'read_portfolio':>15} {'plain parser':>13} {'ratio':>7}  before"
    )
    with tempfile.TemporaryDirectory() as folder:
        for n in args.sizes:
            data = document(n)
            files = {
                "json": (json.dumps(data), lambda text: json.loads(text)),
                "yaml": (
                    yaml.safe_dump(data, sort_keys=False),
                    lambda text: yaml.load(text, Loader=loader),
                ),
            }
            for fmt, (text, plain) in files.items():
                path = Path(folder) / f"portfolio-{n}.{fmt}"
                path.write_text(text, encoding="utf-8")
                ours = best_of(args.repeat, lambda path=path: read_portfolio(path))
                base = best_of(args.repeat, lambda text=text, plain=plain: plain(text))
                before = BEFORE.get(n, "") if fmt == "json" else ""
                print(
                    f"{path.name:<22} {len(text):>9,} {ours:>14.3f}s {base:>12.3f}s "
                    f"{ours / base:>6.1f}x  {before}"
                )


if __name__ == "__main__":
    main()
