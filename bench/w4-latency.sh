#!/usr/bin/env bash
# W4's latency half: the same fixed-rate workload on 6 and on 1,000 partitions (RF 3, 3 local
# brokers), each on a fresh cluster warmed up like compare-kafka.sh, in alternating order. Prints
# each run's publish and end-to-end p99 and the ratio of the medians (target: 1,000 <= 2 x 6).
#
#   bench/w4-latency.sh                        # defaults below
#   ROUNDS=1 WARMUP_RECORDS=300000 bench/w4-latency.sh
#
# Settings (environment): ROUNDS (2: each round runs both files), WARMUP_RECORDS (1000000, produced
# as fast as possible to another topic first, so the JVMs are warm), SMALL and LARGE (the workload
# files, default bench/workloads/w4-4k-{6,1000}-partitions.yaml), WORK (/tmp/runnel-w4-latency),
# BASE_PORT (29292), RUNNEL_JAVA_OPTS (passed to the brokers).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
ROUNDS=${ROUNDS:-2}
WARMUP_RECORDS=${WARMUP_RECORDS:-1000000}
SMALL=${SMALL:-bench/workloads/w4-4k-6-partitions.yaml}
LARGE=${LARGE:-bench/workloads/w4-4k-1000-partitions.yaml}
WORK=${WORK:-/tmp/runnel-w4-latency}
BASE_PORT=${BASE_PORT:-29292}

die() { echo "w4-latency: $*" >&2; exit 2; }
for v in ROUNDS WARMUP_RECORDS BASE_PORT; do
  [[ ${!v} =~ ^[0-9]+$ ]] || die "$v must be a non-negative integer, got '${!v}'"
done
((ROUNDS >= 1)) || die "ROUNDS must be at least 1"
((BASE_PORT >= 1024 && BASE_PORT <= 65000)) || die "BASE_PORT must be in 1024..65000, got $BASE_PORT"
cd "$ROOT"
for f in "$SMALL" "$LARGE"; do [ -f "$f" ] || die "workload file not found: $f"; done
# Only ever delete a directory this script made (it always holds results.tsv).
if [ -d "$WORK" ] && [ -n "$(ls -A "$WORK")" ] && [ ! -e "$WORK/results.tsv" ]; then
  die "WORK=$WORK is not empty and was not made by this script; choose another directory"
fi
mkdir -p "$WORK" || die "cannot create WORK=$WORK"
: > "$WORK/results.tsv"
log() { echo "[$(date +%T)] $*" >&2; }

DEV=""
stop_cluster() {
  if [ -n "$DEV" ]; then
    kill "$DEV" 2> /dev/null && wait "$DEV" 2> /dev/null
    DEV=""
  fi
  rm -rf "$WORK/runnel"
  true
}
trap stop_cluster EXIT

p99() { # line -> the number before " ms 99th"
  sed -n 's/.* \([0-9][0-9.]*\) ms 99th.*/\1/p' <<< "$1"
}

run() { # label workload-file
  local label=$1 file=$2 out publish consume
  stop_cluster
  : > "$WORK/dev.log"
  bin/runnel dev --brokers 3 --data-dir "$WORK/runnel" --base-port "$BASE_PORT" > "$WORK/dev.log" 2>&1 &
  DEV=$!
  for _ in $(seq 1 180); do grep -q "Runnel is up" "$WORK/dev.log" && break; sleep 1; done
  grep -q "Runnel is up" "$WORK/dev.log" || die "cluster did not start; see $WORK/dev.log"
  log "$label: warming up with $WARMUP_RECORDS records"
  bin/runnel bench produce --bootstrap "127.0.0.1:$BASE_PORT" --topic warm --create-topic \
    --partitions 6 --replication-factor 3 --num-records "$WARMUP_RECORDS" --record-size 1024 \
    --throughput -1 --acks all --linger-ms 5 --batch-size 131072 > "$WORK/warm.out" 2>&1 \
    || die "warm-up failed; see $WORK/warm.out"
  log "$label: $file"
  out=$(bin/runnel bench workload "$file" --bootstrap "127.0.0.1:$BASE_PORT" 2> "$WORK/$label.err") \
    || die "workload $file failed; see $WORK/$label.err"
  publish=$(grep '^publish:' <<< "$out")
  consume=$(grep '^consume:' <<< "$out")
  echo "$label $publish"
  echo "$label $consume"
  printf '%s\t%s\t%s\n' "$label" "$(p99 "$publish")" "$(p99 "$consume")" >> "$WORK/results.tsv"
  stop_cluster
}

for r in $(seq 1 "$ROUNDS"); do
  if ((r % 2 == 1)); then run large "$LARGE"; run small "$SMALL"; else run small "$SMALL"; run large "$LARGE"; fi
done

median() { sort -n | awk '{v[NR] = $1} END {if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
for col in 2 3; do
  name=$([ $col = 2 ] && echo "publish p99" || echo "end-to-end p99")
  s=$(awk -v c=$col '$1 == "small" {print $c}' "$WORK/results.tsv" | median)
  l=$(awk -v c=$col '$1 == "large" {print $c}' "$WORK/results.tsv" | median)
  runs_s=$(awk -v c=$col '$1 == "small" {printf "%s ", $c}' "$WORK/results.tsv")
  runs_l=$(awk -v c=$col '$1 == "large" {printf "%s ", $c}' "$WORK/results.tsv")
  echo "$name: $SMALL ${s} ms (runs: ${runs_s% }), $LARGE ${l} ms (runs: ${runs_l% }), ratio $(echo "scale=2; $l / $s" | bc)"
done
