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
cd "$ROOT"
rm -rf "$WORK"; mkdir -p "$WORK"
. bench/dev-cluster.sh
# bin/runnel builds the project if needed; the topic creator runs on its client libraries.
start_dev_cluster
grep -m1 "Hosting at most" "$WORK/dev.log" | sed 's/.*Broker - //' || true

log "creating up to $TOPICS topics of $PARTITIONS partitions"
java -cp "cli/target/lib/*" bench/CreateTopics.java "$BS" "$TOPICS" "$PARTITIONS" many- 2>/dev/null \
  | grep -E '^(created|topic)'

sleep "$SETTLE_SECONDS"
report_idle_cost "$IDLE_SECONDS"
