#!/usr/bin/env bash
# W4's first half: 3 local brokers (bin/runnel dev --brokers 3), one topic with PARTITIONS
# partitions (RF 3). Reports the time until every partition has a leader, the idle CPU of the whole
# cluster over IDLE_SECONDS once they have, and each broker's RSS.
# Usage: bench/many-partitions.sh     env: PARTITIONS (1000) IDLE_SECONDS (30) TIMEOUT (300)
#        SETTLE_SECONDS (150: after the last leader, before the idle measurement, so JIT
#        compilation of the start-up is not counted as idle cost; at 60 s a third of a broker's
#        CPU was still the JIT on 2 cores)  WORK (/tmp/runnel-many-partitions)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PARTITIONS="${PARTITIONS:-1000}"; IDLE_SECONDS="${IDLE_SECONDS:-30}"; TIMEOUT="${TIMEOUT:-300}"
SETTLE_SECONDS="${SETTLE_SECONDS:-150}"
WORK="${WORK:-/tmp/runnel-many-partitions}"
cd "$ROOT"
rm -rf "$WORK"; mkdir -p "$WORK"
. bench/dev-cluster.sh
start_dev_cluster

log "creating a topic with $PARTITIONS partitions"
start=$(date +%s.%N)
bin/runnel topics create many --partitions "$PARTITIONS" --replication-factor 3 --bootstrap "$BS" >/dev/null 2>&1 || true
led=""
while [ "$(echo "$(date +%s.%N) - $start" | bc | cut -d. -f1)" -lt "$TIMEOUT" ]; do
  described=$(bin/runnel topics describe many --bootstrap "$BS" 2>/dev/null || true)
  leaderless=$(echo "$described" | awk 'NR>2 && $2=="none"' | wc -l)
  listed=$(echo "$described" | awk 'NR>2 && $1 ~ /^[0-9]+$/' | wc -l)
  if [ "$listed" -eq "$PARTITIONS" ] && [ "$leaderless" -eq 0 ]; then
    led=$(echo "$(date +%s.%N) - $start" | bc); break
  fi
  log "partitions listed $listed, without a leader $leaderless"
  sleep 1
done
if [ -n "$led" ]; then echo "all $PARTITIONS partitions led after ${led%.*} s"; else echo "NOT all partitions led within $TIMEOUT s"; fi

sleep "$SETTLE_SECONDS"
report_idle_cost "$IDLE_SECONDS"
