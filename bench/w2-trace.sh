#!/usr/bin/env bash
# W2 on a warm cluster, with a per-second trace of one run: starts a fresh 3-broker dev cluster
# from this checkout, writes WARMUP_RECORDS at full speed, then RUNS fixed-rate runs (RATE
# records/s of 1 KiB, acks=all, linger 5 ms, batch 128 KiB), each on a fresh 6-partition RF 3
# topic, printing each run's latency line. During run TRACE_RUN it scrapes the brokers' metrics
# every second and prints, per second: mean Raft log fsync time and count, segment rolls,
# checkpoints and their summed duration, and the brokers' mean produce latency and request count.
# For A/B runs of a broker setting, run it once per setting (each run starts its own cluster).
#
#   bench/w2-trace.sh
#   SET="raft.snapshot.jitter.percent=0" WORK=/tmp/w2-off bench/w2-trace.sh
#   BROKER_JAVA_OPTS="-Xms512m -Xmx512m -XX:+UseG1GC -XX:MaxGCPauseMillis=20" bench/w2-trace.sh
#
# Settings (environment): WORK (scratch dir, default /tmp/runnel-w2-trace), SET (space-separated
# KEY=VALUE broker settings, passed as `bin/runnel dev --set`), BROKER_JAVA_OPTS (the brokers' JVM
# options; bin/runnel's defaults when unset), WARMUP_RECORDS (1500000), RUNS (5), RATE (20000),
# RECORDS (600000 per run), TRACE_RUN (3), BASE_PORT (29292; HTTP ports BASE_PORT+2, +102, +202).
set -euo pipefail

WORK=${WORK:-/tmp/runnel-w2-trace}
WARMUP_RECORDS=${WARMUP_RECORDS:-1500000}
RUNS=${RUNS:-5}
RATE=${RATE:-20000}
RECORDS=${RECORDS:-600000}
TRACE_RUN=${TRACE_RUN:-3}
BASE_PORT=${BASE_PORT:-29292}

die() { echo "w2-trace: $*" >&2; exit 2; }
for v in WARMUP_RECORDS RUNS RATE RECORDS TRACE_RUN BASE_PORT; do
  [[ ${!v} =~ ^[1-9][0-9]*$ ]] || die "$v must be a positive integer, got '${!v}'"
done
((BASE_PORT >= 1024 && BASE_PORT <= 65000)) || die "BASE_PORT must be in 1024..65000, got $BASE_PORT"
command -v curl > /dev/null || die "curl not found"
DEV_ARGS=()
for kv in ${SET:-}; do
  [[ $kv == *=* ]] || die "SET entries must be KEY=VALUE, got '$kv'"
  DEV_ARGS+=(--set "$kv")
done

cd "$(dirname "$0")/.."
. bench/dev-cluster.sh
prepare_work_dir
start_dev_cluster
# A benchmark left running would go on writing to the next cluster on these ports.
run=""
trap 'if [ -n "$run" ]; then kill "$run" 2> /dev/null || true; fi
  kill "$DEV" 2> /dev/null; wait "$DEV" 2> /dev/null || true' EXIT

PRODUCE=(bin/runnel bench produce --bootstrap "$BS" --record-size 1024 --acks all --linger-ms 5
  --batch-size 131072 --create-topic --partitions 6 --replication-factor 3)

# Sums of the traced counters over the three brokers, one "name value" per line.
scrape() {
  for port in $((BASE_PORT + 2)) $((BASE_PORT + 102)) $((BASE_PORT + 202)); do
    curl -sf "http://127.0.0.1:$port/metrics" || die "cannot read metrics on port $port"
  done | grep -E '^(ratis_log_worker_(syncTime|startlogsegmentExecutionTime)_seconds_(sum|count)|runnel_checkpoint_duration_seconds_(sum|count)|runnel_produce_latency_seconds_(sum|count))' \
    | sed -E 's/\{[^}]*\}//' | awk '{s[$1] += $2} END {for (k in s) print k, s[k]}' | sort
}

trace() {
  local pid=$1 t=0
  scrape > "$WORK/scrape.0"
  while kill -0 "$pid" 2> /dev/null && ((t < 600)); do
    sleep 1
    t=$((t + 1))
    scrape > "$WORK/scrape.1"
    join "$WORK/scrape.0" "$WORK/scrape.1" | awk -v t=$t '{d[$1] = $3 - $2} END {
      sc = d["ratis_log_worker_syncTime_seconds_count"]; pc = d["runnel_produce_latency_seconds_count"]
      printf "t=%3d  fsync %5.1f ms x%-5d  segment rolls %3d  checkpoints %2d (%5.0f ms)  produce %5.1f ms x%d\n",
        t, (sc > 0 ? 1000 * d["ratis_log_worker_syncTime_seconds_sum"] / sc : 0), sc,
        d["ratis_log_worker_startlogsegmentExecutionTime_seconds_count"],
        d["runnel_checkpoint_duration_seconds_count"], 1000 * d["runnel_checkpoint_duration_seconds_sum"],
        (pc > 0 ? 1000 * d["runnel_produce_latency_seconds_sum"] / pc : 0), pc}'
    mv "$WORK/scrape.1" "$WORK/scrape.0"
  done
}

out=$("${PRODUCE[@]}" --topic warmup --num-records "$WARMUP_RECORDS" --throughput -1 \
  2> "$WORK/warmup.err") || die "warm-up failed; see $WORK/warmup.err"
echo "warm-up: $(tail -1 <<< "$out")"
for i in $(seq 1 "$RUNS"); do
  "${PRODUCE[@]}" --topic "w2-$i" --num-records "$RECORDS" --throughput "$RATE" \
    > "$WORK/run-$i.out" 2> "$WORK/run-$i.err" &
  run=$!
  if ((i == TRACE_RUN)); then trace "$run"; fi
  wait "$run" || die "run $i failed; see $WORK/run-$i.err"
  echo "run $i: $(tail -1 "$WORK/run-$i.out")"
done
# The brokers' data (a few GB) is not kept.
kill "$DEV" 2> /dev/null && wait "$DEV" 2> /dev/null || true
rm -rf "$WORK/data"
