#!/usr/bin/env bash
# What a topic's first seconds look like to a writer: starts a fresh 3-broker dev cluster from this
# checkout, then TOPICS times creates a topic (6 partitions, RF 3) and writes RECORDS 1 KiB records
# to it at RATE records/s from the moment it exists (`bench produce --create-topic`), printing each
# run's latency line. At the end it reads Ratis's election metrics from every broker and counts,
# over the topics' Raft groups, those whose leadership was transferred (the controller moving a
# group's first leader to its preferred replica) and the election attempts per group (attempts
# include elections a member started and lost).
#
#   bench/fresh-topics.sh
#   WORK=/tmp/fresh TOPICS=5 RATE=4000 bench/fresh-topics.sh
#
# Settings (environment): WORK (scratch dir, default /tmp/runnel-fresh), TOPICS (5), RATE (4000),
# RECORDS (60000), BASE_PORT (29292; the brokers' HTTP ports are BASE_PORT+2, +102, +202).
set -euo pipefail

WORK=${WORK:-/tmp/runnel-fresh}
TOPICS=${TOPICS:-5}
RATE=${RATE:-4000}
RECORDS=${RECORDS:-60000}
BASE_PORT=${BASE_PORT:-29292}

die() { echo "fresh-topics: $*" >&2; exit 2; }
for v in TOPICS RATE RECORDS BASE_PORT; do
  [[ ${!v} =~ ^[1-9][0-9]*$ ]] || die "$v must be a positive integer, got '${!v}'"
done
((BASE_PORT >= 1024 && BASE_PORT <= 65000)) || die "BASE_PORT must be in 1024..65000, got $BASE_PORT"
command -v curl > /dev/null || die "curl not found"

cd "$(dirname "$0")/.."
. bench/dev-cluster.sh
prepare_work_dir
start_dev_cluster

for i in $(seq 1 "$TOPICS"); do
  out=$(bin/runnel bench produce --bootstrap "$BS" --topic "fresh-$i" --create-topic \
    --partitions 6 --replication-factor 3 --num-records "$RECORDS" --throughput "$RATE" \
    --record-size 1024 --acks all --linger-ms 5 --batch-size 131072 2> "$WORK/fresh-$i.err") \
    || die "bench produce failed for topic fresh-$i; see $WORK/fresh-$i.err"
  echo "fresh-$i: $(tail -1 <<< "$out")"
done

# The metadata group (group id ...A11A, the fixed metadata group) is not a topic's.
for port in $((BASE_PORT + 2)) $((BASE_PORT + 102)) $((BASE_PORT + 202)); do
  curl -sf "http://127.0.0.1:$port/metrics" || die "cannot read metrics on port $port"
done | grep -E '^ratis_leader_election_(electionCount|transferLeadershipCount)\{' \
  | grep -v 'group-00000000A11A' \
  | sed -E 's/^ratis_leader_election_([a-zA-Z]+)\{member="[0-9]+@group-([0-9A-F]+)"\} ([0-9.]+)$/\1 \2 \3/' \
  | awk '$1 == "electionCount" {e[$2] += $3; g[$2] = 1}
         $1 == "transferLeadershipCount" {t[$2] += $3; g[$2] = 1}
         END {
           for (k in g) { n++; if (t[k] > 0) moved++; a[e[k]]++ }
           printf "groups: %d, with a leadership transfer: %d; election attempts per group:", n, moved
           for (c in a) printf " %d x%d", c, a[c]
           print ""
         }'
# The brokers' data (a few hundred MB) is not kept.
kill "$DEV" 2> /dev/null && wait "$DEV" 2> /dev/null || true
rm -rf "$WORK/data"
