#!/usr/bin/env bash
# Many topics on 3 local brokers (bin/runnel dev --brokers 3): creates up to TOPICS topics of
# PARTITIONS partitions (RF 3) until one is refused (BROKER_CAPACITY_EXCEEDED: every topic brings
# its own Raft groups, and a broker hosts at most raft.max.group.replicas of them), then reports
# the idle CPU of the cluster over IDLE_SECONDS and each broker's RSS and threads.
# Usage: bench/many-topics.sh   env: TOPICS (100) PARTITIONS (3) IDLE_SECONDS (30)
#        SETTLE_SECONDS (90: after the last create, so start-up JIT work is not counted as idle)
#        WORK (/tmp/runnel-many-topics)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
TOPICS="${TOPICS:-100}"; PARTITIONS="${PARTITIONS:-3}"; IDLE_SECONDS="${IDLE_SECONDS:-30}"
SETTLE_SECONDS="${SETTLE_SECONDS:-90}"
WORK="${WORK:-/tmp/runnel-many-topics}"
BS="127.0.0.1:29292,127.0.0.1:29392,127.0.0.1:29492"
cd "$ROOT"
rm -rf "$WORK"; mkdir -p "$WORK"
log() { echo "[$(date +%T)] $*" >&2; }

# bin/runnel builds the project if needed; the topic creator runs on its client libraries.
bin/runnel dev --brokers 3 --data-dir "$WORK/data" --base-port 29292 > "$WORK/dev.log" 2>&1 &
DEV=$!
# TERM, not INT: a background job of a non-interactive shell starts with SIGINT ignored.
trap 'kill $DEV 2>/dev/null; wait $DEV 2>/dev/null || true' EXIT
for _ in $(seq 1 300); do grep -q "Runnel is up" "$WORK/dev.log" && break; sleep 1; done
grep -q "Runnel is up" "$WORK/dev.log" || { log "cluster did not start: $WORK/dev.log"; exit 1; }
grep -m1 "Hosting at most" "$WORK/dev.log" | sed 's/.*Broker - //' || true

log "creating up to $TOPICS topics of $PARTITIONS partitions"
java -cp "cli/target/lib/*" bench/CreateTopics.java "$BS" "$TOPICS" "$PARTITIONS" many- 2>/dev/null \
  | grep -E '^(created|topic)'

sleep "$SETTLE_SECONDS"
brokers=$(pgrep -f "dev.runnel.cli.Main server" | tr '\n' ' ')
hz=$(getconf CLK_TCK)
j0=0; for p in $brokers; do j0=$((j0 + $(awk '{print $14+$15}' /proc/$p/stat))); done
sleep "$IDLE_SECONDS"
j1=0; for p in $brokers; do j1=$((j1 + $(awk '{print $14+$15}' /proc/$p/stat))); done
echo "idle CPU of the cluster: $(echo "scale=2; ($j1 - $j0) / $hz / $IDLE_SECONDS" | bc) cores over $IDLE_SECONDS s"
for p in $brokers; do
  echo "broker pid $p: RSS $(awk '/VmRSS/{printf "%d", $2/1024}' /proc/$p/status) MB, threads $(ls /proc/$p/task | wc -l)"
done
