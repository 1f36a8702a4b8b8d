#!/usr/bin/env bash
# Runs every check and test of Warden: formatting, clippy (server and browser builds), the
# test suite on SQLite and on PostgreSQL, a release build, and the browser tests in
# headless Chromium against that release build. Installs what is missing first.
set -euo pipefail
source "$(dirname "$0")/setup.sh"
source "$(dirname "$0")/setup-test.sh"
cd "$WARDEN_ROOT"

log="$(mktemp)"
timings=()
step() {
  local name="$1"; shift
  say "$name"
  local start=$SECONDS
  "$@" 2>&1 | tee -a "$log"
  timings+=("$(printf '%4ds  %s' $((SECONDS - start)) "$name")")
}

# A fresh PostgreSQL database per run; each test makes its own below this name.
pg_server="${TEST_POSTGRES_SERVER:-postgres://postgres@127.0.0.1:5432}"
pg_db="warden_ci_$$_$RANDOM"
psql -q "$pg_server/postgres" -c "create database $pg_db" >/dev/null
cleanup() {
  psql -qAt "$pg_server/postgres" -c "select datname from pg_database where datname like '${pg_db}%'" 2>/dev/null |
    while read -r db; do psql -q "$pg_server/postgres" -c "drop database if exists \"$db\" with (force)" >/dev/null 2>&1 || true; done
  rm -f "$log"
}
trap cleanup EXIT
export TEST_POSTGRES_URL="$pg_server/$pg_db" WARDEN_REQUIRE_POSTGRES=1

step "format" cargo fmt --all -- --check
step "clippy, server" cargo clippy -p warden-app -p warden-domain -p warden-pii -p warden-inference -p warden-db -p warden-services -p warden-demo -p warden-server \
  --features warden-db/testing --all-targets -- -D warnings
step "clippy, browser" cargo clippy -p warden-frontend -p warden-app --target wasm32-unknown-unknown -- -D warnings
step "tests on SQLite and PostgreSQL" cargo test -p warden-domain -p warden-pii -p warden-inference -p warden-db -p warden-services -p warden-demo -p warden-server
step "release build" cargo leptos build --release --precompress
step "browser tests on SQLite (release build, Chromium)" env WARDEN_BIN="$WARDEN_ROOT/target/release/warden" \
  npm --prefix end2end test
step "browser tests on PostgreSQL" env WARDEN_BIN="$WARDEN_ROOT/target/release/warden" E2E_DATABASE=postgres \
  npm --prefix end2end test

printf '\n'
say "time per step"
printf '  %s\n' "${timings[@]}" >&2
# Every step has passed by now (set -e); this sums what the runners counted.
count() { { grep -oE "$1" "$log" || true; } | awk "{s+=\$$2} END {print s+0}"; }
passed=$(( $(count 'test result: ok\. [0-9]+ passed' 4) + $(count '^# pass [0-9]+' 3) ))
failed=$(( $(count '[0-9]+ failed;' 1) + $(count '^# fail [0-9]+' 3) ))
echo "warden: $passed passed, $failed failed"
