#!/usr/bin/env bash
# Runs the README tour through the real launcher (bin/runnel) after the build: starts a one-broker
# dev cluster, creates a topic, produces keyed lines, consumes them back, checks bad arguments, and
# stops everything. Bounded in time; every process it starts is killed on exit.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

work="$(mktemp -d)"
port=39292
dev_pid=""
cleanup() {
  if [ -n "$dev_pid" ] && kill -0 "$dev_pid" 2>/dev/null; then
    kill "$dev_pid" 2>/dev/null || true
    for _ in $(seq 1 30); do kill -0 "$dev_pid" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$dev_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "smoke: FAILED: $*" >&2; echo "--- dev log ---" >&2; tail -50 "$work/dev.log" >&2 || true; exit 1; }

export RUNNEL_BOOTSTRAP="localhost:$port"
bin/runnel dev --data-dir "$work/data" --base-port "$port" >"$work/dev.log" 2>&1 &
dev_pid=$!
for _ in $(seq 1 120); do
  grep -q "Runnel is up" "$work/dev.log" && break
  kill -0 "$dev_pid" 2>/dev/null || fail "bin/runnel dev exited"
  sleep 1
done
grep -q "Runnel is up" "$work/dev.log" || fail "broker not up within 120 s"

bin/runnel topics create orders --partitions 3 2>/dev/null | grep -q "Created topic orders" || fail "topics create"
printf 'alice:first order\nbob:second order\nalice:third order\n' \
  | bin/runnel produce orders --key-separator : 2>"$work/produce.err" || fail "produce: $(cat "$work/produce.err")"
out="$(bin/runnel consume orders --from-beginning --print-key --timeout 3s 2>/dev/null | sort)"
expected="$(printf 'alice\tfirst order\nalice\tthird order\nbob\tsecond order')"
[ "$out" = "$expected" ] || fail "consume printed: $out"
bin/runnel topics describe orders 2>/dev/null | grep -q "PARTITION" || fail "topics describe"
bin/runnel cluster describe 2>/dev/null | grep -q "eligible" || fail "cluster describe"

set +e
bin/runnel consume >/dev/null 2>"$work/usage.err"; code=$?
set -e
[ "$code" = 2 ] || fail "missing TOPIC exited $code, expected 2"
grep -q "runnel: error: Missing required parameter" "$work/usage.err" || fail "usage message: $(cat "$work/usage.err")"
grep -q "	at " "$work/usage.err" && fail "stack trace printed for a usage error"

echo "smoke: the README tour works through bin/runnel"
