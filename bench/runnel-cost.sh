#!/usr/bin/env bash
# What one build of Runnel costs per unit of work, for A/B comparisons of two builds: starts a fresh
# 3-broker dev cluster from this checkout, warms it up, then for each run reports throughput or
# latency next to the brokers' CPU time, context switches, GC and JIT time and bytes written to storage
# (/proc/PID/io write_bytes, all brokers together) during that run, and at the
# end each broker's peak RSS. (JIT time is jstat's compile time: wall time, which on a busy host
# includes waiting for a core.) Run it in two clones (one per build), one after the other, on an
# otherwise idle machine.
#
#   bench/runnel-cost.sh                      # defaults below
#   WORK=/tmp/cost-a W1_RUNS=3 RATES="500 5000" bench/runnel-cost.sh
#
# Settings (environment): WORK (scratch dir, default /tmp/runnel-cost), WARMUP_RECORDS (1000000),
# W1_RECORDS (500000), W1_RUNS (2), RATES (fixed rates in records/s, 30 s each; "" for none),
# BASE_PORT (29292), RUNNEL_JAVA_OPTS (passed to the brokers), KEEP_DATA (1 keeps the brokers'
# data in $WORK/runnel after the run; by default it is deleted, since one run leaves ~6 GB).
set -euo pipefail

WORK=${WORK:-/tmp/runnel-cost}
WARMUP_RECORDS=${WARMUP_RECORDS:-1000000}
W1_RECORDS=${W1_RECORDS:-500000}
W1_RUNS=${W1_RUNS:-2}
RATES=${RATES-500 5000}
BASE_PORT=${BASE_PORT:-29292}

die() { echo "runnel-cost: $*" >&2; exit 2; }
for v in WARMUP_RECORDS W1_RECORDS W1_RUNS BASE_PORT; do
  [[ ${!v} =~ ^[0-9]+$ ]] || die "$v must be a non-negative integer, got '${!v}'"
done
for r in $RATES; do [[ $r =~ ^[1-9][0-9]*$ ]] || die "RATES must hold positive integers, got '$r'"; done
((BASE_PORT >= 1024 && BASE_PORT <= 65000)) || die "BASE_PORT must be in 1024..65000, got $BASE_PORT"
command -v jstat > /dev/null || die "jstat not found: a JDK's bin directory must be on PATH"

cd "$(dirname "$0")/.."
BOOTSTRAP=127.0.0.1:$BASE_PORT
DEV=""
cleanup() {
  [ -n "$DEV" ] && kill "$DEV" 2> /dev/null && wait "$DEV" 2> /dev/null
  [ "${KEEP_DATA:-0}" = 1 ] || rm -rf "$WORK/runnel"
  true
}

# Only ever delete a directory this script made (it always holds dev.log).
if [ -d "$WORK" ] && [ -n "$(ls -A "$WORK")" ] && [ ! -e "$WORK/dev.log" ]; then
  die "WORK=$WORK is not empty and was not made by this script; choose another directory"
fi
mkdir -p "$WORK" || die "cannot create WORK=$WORK"
rm -rf "$WORK/runnel" "$WORK"/*.err
: > "$WORK/dev.log"
trap cleanup EXIT
bin/runnel dev --brokers 3 --data-dir "$WORK/runnel" --base-port "$BASE_PORT" > "$WORK/dev.log" 2>&1 &
DEV=$!
for _ in $(seq 1 180); do grep -q "Runnel is up" "$WORK/dev.log" && break; sleep 1; done
grep -q "Runnel is up" "$WORK/dev.log" || die "cluster did not start; see $WORK/dev.log"
# bin/runnel execs the dev supervisor's JVM, whose children are the brokers.
PIDS=$(pgrep -P "$DEV" -f "dev.runnel.cli.Main server" | tr '\n' ' ')
[ -n "$PIDS" ] || die "no broker processes found under the dev supervisor ($DEV)"

produce() { # topic records rate; a failed run is reported, not fatal (the next runs still count)
  local out status=0
  out=$(bin/runnel bench produce --bootstrap "$BOOTSTRAP" --topic "$1" --create-topic --partitions 6 \
    --replication-factor 3 --num-records "$2" --record-size 1024 --throughput "$3" --acks all \
    --linger-ms 5 --batch-size 131072 2> "$WORK/$1.err") || status=$?
  echo "$(tail -1 <<< "$out")$( ((status == 0)) || echo " [exit $status; see $WORK/$1.err]")"
}
sum_over_brokers() { # awk program over one file per broker -> sum
  local total=0 p
  for p in $PIDS; do total=$((total + $("$@" "$p"))); done
  echo "$total"
}
switches() { cat /proc/"$1"/task/*/status 2> /dev/null | awk '/ctxt_switches/ {s += $2} END {printf "%.0f\n", s}'; }
cpu_ticks() { awk '{print $14 + $15}' /proc/"$1"/stat; }
gc_ms() { jstat -gcutil "$1" | tail -1 | awk '{printf "%d\n", $NF * 1000}'; }
jit_ms() { jstat -compiler "$1" | tail -1 | awk '{printf "%d\n", $4 * 1000}'; }
written() { awk '/^write_bytes/ {print $2}' /proc/"$1"/io; }
measured() { # label command...
  local label=$1 s0 c0 g0 j0 w0 out
  shift
  s0=$(sum_over_brokers switches); c0=$(sum_over_brokers cpu_ticks); g0=$(sum_over_brokers gc_ms)
  j0=$(sum_over_brokers jit_ms); w0=$(sum_over_brokers written)
  out=$("$@")
  echo "$label: $out"
  echo "  brokers: $(($(sum_over_brokers switches) - s0)) context switches," \
    "$(($(sum_over_brokers cpu_ticks) - c0)) CPU ticks (1/100 s), $(($(sum_over_brokers gc_ms) - g0)) ms GC," \
    "$(($(sum_over_brokers jit_ms) - j0)) ms JIT compiling," \
    "$((($(sum_over_brokers written) - w0) / 1000000)) MB written"
}

echo "build $(git rev-parse --short HEAD 2> /dev/null || echo unknown), brokers $PIDS"
echo "warm-up: $(produce warm "$WARMUP_RECORDS" -1)"
for i in $(seq 1 "$W1_RUNS"); do measured "W1 run $i" produce "w1-$i" "$W1_RECORDS" -1; done
# One topic per run, so a rate may be listed more than once (later runs on a warmer cluster).
n=0
for r in $RATES; do n=$((n + 1)); measured "fixed $r/s" produce "rate-$r-$n" $((r * 30)) "$r"; done
for p in $PIDS; do echo "broker $p peak RSS: $(awk '/VmHWM/ {print $2, $3}' /proc/"$p"/status)"; done
