#!/usr/bin/env bash
# Lint, types, then the whole suite on SQLite and the database tests on PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
# One test worker per core: the suite is CPU-bound Python, and CI has two cores.
WORKERS=${LEADSHIFT_TEST_WORKERS:-$(nproc)}

# An environment that sets PYTHONDONTWRITEBYTECODE (this machine's does) makes every test
# process rewrite the asserts of every test module again (7 s of CPU each, four processes a
# run) and every `leadshift` the tests start compile the modules it imports: the run's
# processes share the clone's bytecode instead, compiled once here.
unset PYTHONDONTWRITEBYTECODE
$BIN/python -m compileall -q src tests >/dev/null

pgdir="" prebuilding="" prebuilt=""
cleanup() {
  # The set-up and the command it runs, if a check failed before they were done.
  [ -z "$prebuilding" ] || kill -- -"$prebuilding" 2>/dev/null || true
  [ -z "$pgdir" ] || scripts/pg.sh stop "$pgdir"
  [ -z "$prebuilt" ] || rm -rf "$prebuilt"
}
trap cleanup EXIT

# The folders that `leadshift migrate` and `leadshift demo` set up, made once for every test
# process of the run (tests/user_shell.py), on the second core while ruff and mypy use the
# first; the tests that need them wait for them (and numba's cache of the risk kernel is warm
# by then, compiled once rather than by each worker).
# The PostgreSQL server starts now too, so the same set-up migrates, once, the template
# database the PostgreSQL pass's test databases are created from.
pgdir=$(mktemp -d /tmp/leadshift-pg.XXXXXX)
url=$(scripts/pg.sh start "$pgdir")
prebuilt=$(mktemp -d /tmp/leadshift-prebuilt.XXXXXX)
touch "$prebuilt/building"
export LEADSHIFT_TEST_PREBUILT=$prebuilt
setsid $BIN/python -m tests.user_shell "$prebuilt" "$url" &
prebuilding=$!

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
wait "$prebuilding" || true
prebuilding=""
# Without the template (its migration failed), each test process migrates its own database,
# and says why.
template=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["code"])' \
  "$prebuilt/leadshift_test_template.json" 2>/dev/null || echo none)
if [ "$template" = 0 ]; then
  export LEADSHIFT_TEST_PG_TEMPLATE=leadshift_test_template
else
  echo "no migrated template database ($template): each test process migrates its own"
  cat "$prebuilt/leadshift_test_template.json" 2>/dev/null || true
fi
DATABASE_URL=$url $BIN/pytest -q -n "$WORKERS" --dist worksteal --durations=15 -m "database and not e2e" "$@"
