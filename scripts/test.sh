#!/usr/bin/env bash
# Lint, types, then the whole suite on SQLite and the database tests on PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
# One test worker per core: the suite is CPU-bound Python, and CI has two cores.
WORKERS=${LEADSHIFT_TEST_WORKERS:-$(nproc)}

echo "== ruff"
$BIN/ruff check src tests benchmarks
$BIN/ruff format --check src tests benchmarks
echo "== mypy"
$BIN/mypy

echo "== tests on SQLite (with browser tests)"
# worksteal: an idle worker takes queued tests from a busy one, so the long browser tests do
# not leave one core waiting at the end; the slowest tests are listed to keep the suite short.
$BIN/pytest -q -n "$WORKERS" --dist worksteal --durations=25 "$@"

# Only what reaches the database can differ by database: engines, files and the installed
# command in a user's environment (SQLite in its own data folder) ran once above.
echo "== database tests on PostgreSQL"
pgdir=$(mktemp -d /tmp/leadshift-pg.XXXXXX)
trap 'scripts/pg.sh stop "$pgdir"' EXIT
url=$(scripts/pg.sh start "$pgdir")
DATABASE_URL=$url $BIN/pytest -q -n "$WORKERS" --dist worksteal --durations=15 -m "database and not e2e" "$@"
