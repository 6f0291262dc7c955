#!/usr/bin/env bash
# Runs Apache Kafka and Runnel on this machine one after the other, alternating, with the same
# workload shapes, and prints Runnel/Kafka ratios. Both run 3 brokers on 127.0.0.1 with a topic of
# 6 partitions, RF 3, 1 KiB records, acks=all, linger 5 ms, batch 128 KiB:
#   Kafka 4.3.1 (KRaft, combined nodes, min.insync.replicas=2, its defaults: no fsync) with
#   ProducerPerformance / ConsumerPerformance; Runnel at its defaults (fsync before every ack) with
#   `runnel bench`.
#
# Usage: bench/compare-kafka.sh            (from the repository root; needs Java 17)
# Env:   ROUNDS (2)  RATE (20000, W2)  RATE_SECONDS (30)
#        RECORDS (1000000, W1 and W3: the issue's W3 size; the default was 500000 until 2026-12-07)
#        W2_WARMUP_SECONDS (5: W2's first RATE x this many records are also left out of a second,
#        steady-state figure, with both tools' --warmup-records; the whole-run figure is kept)
#        WARMUP_RECORDS (3000000: produced to a separate topic before W1, not measured, the same
#        for both systems; both are JVMs, and on 2 cores Runnel's brokers are still C2-compiling
#        after a million records and settle after about three, see docs/performance.md "The JIT")
#        WORK (/tmp/runnel-compare: Kafka jars, data, logs, results.tsv)
#        SYSTEMS ("kafka runnel"; one of them alone for quick experiments, no ratios then)
#        RUNNEL_JAVA_OPTS (passed to the Runnel brokers, e.g. "-Xms512m -Xmx512m -XX:+UseG1GC")
#        KEEP_DATA (1 keeps the brokers' data in WORK after a completed run; by default it is
#        deleted then, since a run leaves ~13 GB; a failed run always keeps it, with its logs)
# Workloads: W1 max throughput (records/s), W2 fixed RATE (p99 / p99.9 latency), W3 consume what W1
# wrote (MB/s). Also per system: peak RSS of each broker during W1, bytes written during W1 by the
# broker processes (/proc/PID/io write_bytes, the issue's measure) and by the whole device
# (/proc/diskstats, which adds the file system journal), each over payload x RF, and the CPU used by
# everything else on the machine.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
WORK="${WORK:-/tmp/runnel-compare}"
SYSTEMS="${SYSTEMS:-kafka runnel}"
ROUNDS="${ROUNDS:-2}"; RECORDS="${RECORDS:-1000000}"; RATE="${RATE:-20000}"; RATE_SECONDS="${RATE_SECONDS:-30}"
W2_WARMUP_SECONDS="${W2_WARMUP_SECONDS:-5}"
for v in ROUNDS RECORDS RATE RATE_SECONDS W2_WARMUP_SECONDS; do
  [[ ${!v} =~ ^[0-9]+$ ]] || { echo "$v must be a whole number, got '${!v}'" >&2; exit 2; }
done
W2_WARMUP=$((RATE * W2_WARMUP_SECONDS))
((W2_WARMUP < RATE * RATE_SECONDS)) || { echo "W2_WARMUP_SECONDS must be below RATE_SECONDS" >&2; exit 2; }
WARMUP_RECORDS="${WARMUP_RECORDS:-3000000}"
SIZE=1024
JAVA="${JAVA:-$(command -v java)}"
KLIBS="$WORK/kafka-libs"; RESULTS="$WORK/results.tsv"
mkdir -p "$WORK"
cd "$ROOT"

log() { echo "[$(date +%T)] $*" >&2; }

# --- setup -------------------------------------------------------------------------------------
if [[ " $SYSTEMS " == *" kafka "* ]] && [ ! -d "$KLIBS" ]; then
  log "fetching Kafka jars into $KLIBS"
  ./mvnw -q -B -f bench/kafka/pom.xml dependency:copy-dependencies -DoutputDirectory="$KLIBS" -DincludeScope=runtime
fi
if [ ! -f cli/target/runnel-cli-0.1.0-SNAPSHOT.jar ]; then
  log "building Runnel"
  ./mvnw -q -B package -DskipTests
fi
cat > "$WORK/log4j2.properties" <<'EOL'
status = warn
appender.out.type = Console
appender.out.name = OUT
appender.out.target = SYSTEM_ERR
appender.out.layout.type = PatternLayout
appender.out.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = WARN
rootLogger.appenderRef.out.ref = OUT
EOL
KLOG="-Dlog4j2.configurationFile=$WORK/log4j2.properties"
KBS="127.0.0.1:19092,127.0.0.1:19094,127.0.0.1:19096"
RBS="127.0.0.1:29292,127.0.0.1:29392,127.0.0.1:29492"
# Each run summarises only its own rounds: an earlier run's results are kept under another name.
[ -f "$RESULTS" ] && mv "$RESULTS" "$WORK/results.$(date -r "$RESULTS" +%Y%m%d-%H%M%S).tsv"
printf 'round\tsystem\tworkload\trecords_per_s\tMB_per_s\tp50_ms\tp99_ms\tp999_ms\tother_cores\textra\n' > "$RESULTS"

# --- accounting ----------------------------------------------------------------------------------
HZ=$(getconf CLK_TCK)
PIDS=()
# printf: mawk prints sums above 2^31 in exponent form, which shell arithmetic rejects.
cpu_busy() { awk '/^cpu /{printf "%.0f\n", $2+$3+$4+$7+$8+$9}' /proc/stat; }
descendants() { # the given pids and all their descendants
  local p
  for p in "$@"; do
    echo "$p"
    descendants $(pgrep -P "$p" 2>/dev/null || true)
  done
}
tree_jiffies() { # CPU used so far by the given pids and their descendants (live ones)
  local s=0 q
  for q in $(descendants "$@"); do
    [ -r "/proc/$q/stat" ] && s=$((s + $(awk '{print $14+$15}' "/proc/$q/stat")))
  done
  echo $s
}
disk_sectors() { awk '$3 !~ /[0-9]$/ || $3 ~ /^nvme[0-9]+n[0-9]+$/ {s+=$10} END{printf "%.0f\n", s}' /proc/diskstats; }
peak_rss_mb() { # peak RSS (VmHWM) of each broker JVM, MB
  local out="" p
  for p in $(broker_jvms); do out="$out${out:+/}$(awk '/VmHWM/{printf "%d", $2/1024}' "/proc/$p/status" 2>/dev/null)"; done
  echo "$out"
}
# Ours: the brokers (alive) plus every finished child of this script, e.g. the benchmark clients.
ours() { echo $(( $(tree_jiffies "${PIDS[@]}") + $(awk '{print $16+$17}' /proc/$$/stat) )); }
# Bytes the broker JVMs caused to be written to storage (/proc/PID/io write_bytes, counted when a
# page is dirtied, so it includes writes the kernel has not flushed yet, as with Kafka's no-fsync
# writes); unlike diskstats it excludes the file system's journal and other processes.
proc_write_bytes() {
  local s=0 p
  for p in $(broker_jvms); do
    s=$((s + $(awk '/^write_bytes/{print $2}' "/proc/$p/io" 2>/dev/null || echo 0)))
  done
  echo $s
}
acct_start() { T0=$(date +%s.%N); B0=$(cpu_busy); K0=$(ours); D0=$(disk_sectors); W0=$(proc_write_bytes); }
other_cores() { # CPU used by processes other than the brokers and this script's children
  local t1 b1 k1; t1=$(date +%s.%N); b1=$(cpu_busy); k1=$(ours)
  awk -v t0="$T0" -v t1="$t1" -v b0="$B0" -v b1="$b1" -v k0="$K0" -v k1="$k1" -v hz="$HZ" \
    'BEGIN{e=t1-t0; o=((b1-b0)-(k1-k0))/hz/e; if(o<0)o=0; printf "%.2f", o}'
}
disk_mb() { echo $(( ($(disk_sectors) - D0) * 512 / 1048576 )); }
proc_write_mb() { echo $(( ($(proc_write_bytes) - W0) / 1048576 )); }

# --- Kafka -------------------------------------------------------------------------------------
kafka_start() {
  local d="$WORK/kafka" cid voters="1@127.0.0.1:19093,2@127.0.0.1:19095,3@127.0.0.1:19097" i
  rm -rf "$d"; mkdir -p "$d"
  cid="$("$JAVA" -cp "$KLIBS/*" $KLOG kafka.tools.StorageTool random-uuid)"
  PIDS=()
  for i in 1 2 3; do
    mkdir -p "$d/node$i"
    cat > "$d/node$i/server.properties" <<EOP
process.roles=broker,controller
node.id=$i
controller.quorum.voters=$voters
listeners=PLAINTEXT://127.0.0.1:$((19090 + 2*i)),CONTROLLER://127.0.0.1:$((19091 + 2*i))
advertised.listeners=PLAINTEXT://127.0.0.1:$((19090 + 2*i))
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$d/node$i/data
num.partitions=6
default.replication.factor=3
min.insync.replicas=2
offsets.topic.replication.factor=3
transaction.state.log.replication.factor=3
transaction.state.log.min.isr=2
share.coordinator.state.topic.replication.factor=3
share.coordinator.state.topic.min.isr=2
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=false
EOP
    "$JAVA" -cp "$KLIBS/*" $KLOG kafka.tools.StorageTool format -t "$cid" -c "$d/node$i/server.properties" >/dev/null
    "$JAVA" -Xms1g -Xmx1g -server -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35 \
      -XX:+ExplicitGCInvokesConcurrent -XX:MaxInlineLevel=15 -Djava.awt.headless=true $KLOG \
      -cp "$KLIBS/*" kafka.Kafka "$d/node$i/server.properties" > "$d/node$i/server.log" 2>&1 &
    PIDS+=($!)
  done
  for _ in $(seq 1 90); do
    if [ "$("$JAVA" -cp "$KLIBS/*" $KLOG org.apache.kafka.tools.BrokerApiVersionsCommand --bootstrap-server "$KBS" 2>/dev/null | grep -c '^127.0.0.1:' || true)" -ge 3 ]; then
      return 0
    fi
    sleep 1
  done
  log "Kafka did not start; see $d/node*/server.log"; return 1
}
kafka_topic() {
  "$JAVA" -cp "$KLIBS/*" $KLOG org.apache.kafka.tools.TopicCommand --bootstrap-server "$KBS" --create \
    --topic "$1" --partitions 6 --replication-factor 3 --config min.insync.replicas=2 >/dev/null
  sleep 2
}
kafka_produce() { # topic records rate [--warmup-records N] -> the final line(s)
  "$JAVA" -Xms512m -Xmx1g -XX:+UseG1GC -cp "$KLIBS/*" $KLOG org.apache.kafka.tools.ProducerPerformance \
    --bootstrap-server "$KBS" --topic "$1" --num-records "$2" --record-size $SIZE --throughput "$3" "${@:4}" \
    --command-property acks=all linger.ms=5 batch.size=131072 2>&1 | grep -E 'records sent, .*99.9th'
}
kafka_consume() { # topic records -> "records/s MB/s"
  "$JAVA" -Xms512m -Xmx1g -XX:+UseG1GC -cp "$KLIBS/*" $KLOG org.apache.kafka.tools.ConsumerPerformance \
    --bootstrap-server "$KBS" --topic "$1" --num-records "$2" --timeout 60000 2>/dev/null \
    | grep -E '^[0-9]{4}-' | tail -1 | awk -F', ' '{print $6, $4}'
}
broker_jvms() { echo "${PIDS[@]}"; }

# --- Runnel ------------------------------------------------------------------------------------
RUNNEL_DEV=""
runnel_start() {
  rm -rf "$WORK/runnel"
  bin/runnel dev --brokers 3 --data-dir "$WORK/runnel" --base-port 29292 > "$WORK/runnel-dev.log" 2>&1 &
  RUNNEL_DEV=$!
  for _ in $(seq 1 180); do
    if grep -q "Runnel is up" "$WORK/runnel-dev.log"; then
      PIDS=($RUNNEL_DEV)
      return 0
    fi
    sleep 1
  done
  log "Runnel did not start; see $WORK/runnel-dev.log"; return 1
}
runnel_broker_jvms() { pgrep -f "dev.runnel.cli.Main server" || true; }
runnel() { bin/runnel "$@"; }
runnel_produce() { # topic records rate [--create-topic ... | --warmup-records N] -> the final line(s)
  local t=$1 n=$2 r=$3; shift 3
  runnel bench produce --bootstrap "$RBS" --topic "$t" --num-records "$n" --record-size $SIZE --throughput "$r" \
    --acks all --linger-ms 5 --batch-size 131072 "$@" 2>/dev/null | grep -E 'records sent, .*99.9th'
}
# A new topic's leaders can still move in its first seconds: elections among three fresh members on
# a busy machine, then the controller's transfer to each partition's preferred replica (the first
# one listed). A produce run started then stalls for a leadership change (seen as ~2 s stalls at the
# start of W2). Kafka's topics get 2 s to settle; Runnel's get the same once their leaders are where
# the controller wants them (at most 30 s).
runnel_topic() { # topic
  runnel_produce "$1" 1 -1 --create-topic --partitions 6 --replication-factor 3 >/dev/null
  local _
  for _ in $(seq 1 30); do
    runnel topics describe --bootstrap "$RBS" "$1" 2>/dev/null | awk '
      $1 ~ /^[0-9]+$/ { n++; split(substr($3, 2, length($3) - 2), r, ","); if ($2 != r[1]) moving = 1 }
      END { exit (n == 6 && !moving) ? 0 : 1 }' && break
    sleep 1
  done
  sleep 2
}
runnel_consume() { # topic records -> "records/s MB/s"
  runnel bench consume --bootstrap "$RBS" --topic "$1" --num-records "$2" 2>/dev/null | tail -1 \
    | sed -E 's/.*: ([0-9.]+) records\/sec \(([0-9.]+) MB\/sec\)\./\1 \2/'
}

stop_all() {
  if [ -n "$RUNNEL_DEV" ] && kill -0 "$RUNNEL_DEV" 2>/dev/null; then
    # TERM, not INT: a background job of a non-interactive shell starts with SIGINT ignored.
    kill "$RUNNEL_DEV"; wait "$RUNNEL_DEV" 2>/dev/null || true; RUNNEL_DEV=""
  fi
  for p in "${PIDS[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done
  # Bounded: a Kafka broker whose peers have already stopped can retry its controlled shutdown
  # for minutes (seen once: 2 minutes and counting), so after 60 s it is killed.
  local alive p _
  for _ in $(seq 1 60); do
    alive=0
    for p in "${PIDS[@]:-}"; do [ -n "$p" ] && kill -0 "$p" 2>/dev/null && alive=1; done
    [ "$alive" = 0 ] && break
    sleep 1
  done
  for p in "${PIDS[@]:-}"; do [ -n "$p" ] && kill -9 "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]:-}"; do [ -n "$p" ] && wait "$p" 2>/dev/null || true; done
  PIDS=()
}
trap stop_all EXIT

# "N records sent, X records/sec (Y MB/sec), A ms avg latency, M ms max latency, P50 ms 50th, P95 ms 95th, P99 ms 99th, P999 ms 99.9th."
whole_run() { grep -v 'steady state' | tail -1; }
# Both tools print "N steady state records sent, ..." after the run's line when given --warmup-records.
steady_state() { grep 'steady state' | tail -1 | sed 's/ steady state records sent/ records sent/'; }
record_w2() { # round system output-of-produce
  record_produce "$1" "$2" W2 "$(whole_run <<< "$3")" ""
  local s; s=$(steady_state <<< "$3" || true)
  [ -z "$s" ] || record_produce "$1" "$2" W2s "$s" "after $W2_WARMUP records"
}
record_produce() { # round system workload line extra
  local fields
  fields=$(echo "$4" | sed -E 's/^[0-9]+ records sent, ([0-9.]+) records\/sec \(([0-9.]+) MB\/sec\), [0-9.]+ ms avg latency, [0-9.]+ ms max latency, ([0-9]+) ms 50th, [0-9]+ ms 95th, ([0-9]+) ms 99th, ([0-9]+) ms 99.9th\./\1\t\2\t\3\t\4\t\5/')
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$fields" "$(other_cores)" "$5" >> "$RESULTS"
  log "$2 $3: $4 [other cores $(other_cores); $5]"
}

run_system() { # round system
  local round=$1 sys=$2 line rss disk pw c
  log "round $round: $sys"
  if [ "$sys" = kafka ]; then
    kafka_start; broker_jvms() { echo "${PIDS[@]}"; }
    kafka_topic warm; kafka_produce warm "$WARMUP_RECORDS" -1 >/dev/null   # JIT warm-up, not measured
    kafka_topic w1
    acct_start; line=$(kafka_produce w1 "$RECORDS" -1 | whole_run)
    rss=$(peak_rss_mb); disk=$(disk_mb); pw=$(proc_write_mb)
    record_produce "$round" kafka W1 "$line" "peak_rss_mb=$rss disk_mb=$disk proc_write_mb=$pw payload_mb=$((RECORDS * SIZE * 3 / 1048576))"
    kafka_topic w2
    acct_start; line=$(kafka_produce w2 $((RATE * RATE_SECONDS)) "$RATE" --warmup-records "$W2_WARMUP")
    record_w2 "$round" kafka "$line"
    acct_start; c=$(kafka_consume w1 "$RECORDS")
  else
    runnel_start; broker_jvms() { runnel_broker_jvms; }
    runnel_produce warm "$WARMUP_RECORDS" -1 --create-topic --partitions 6 --replication-factor 3 >/dev/null
    runnel_topic w1
    acct_start; line=$(runnel_produce w1 "$RECORDS" -1 | whole_run)
    rss=$(peak_rss_mb); disk=$(disk_mb); pw=$(proc_write_mb)
    record_produce "$round" runnel W1 "$line" "peak_rss_mb=$rss disk_mb=$disk proc_write_mb=$pw payload_mb=$((RECORDS * SIZE * 3 / 1048576))"
    runnel_topic w2
    acct_start; line=$(runnel_produce w2 $((RATE * RATE_SECONDS)) "$RATE" --warmup-records "$W2_WARMUP")
    record_w2 "$round" runnel "$line"
    acct_start; c=$(runnel_consume w1 "$RECORDS")
  fi
  printf '%s\t%s\tW3\t%s\t%s\t\t\t\t%s\t\n' "$round" "$sys" "$(echo "$c" | cut -d' ' -f1)" \
    "$(echo "$c" | cut -d' ' -f2)" "$(other_cores)" >> "$RESULTS"
  log "$sys W3: $c records/s MB/s"
  stop_all
}

for s in $SYSTEMS; do
  case "$s" in kafka|runnel) ;; *) echo "SYSTEMS: unknown system '$s' (kafka, runnel)" >&2; exit 2 ;; esac
done
for round in $(seq 1 "$ROUNDS"); do
  # Alternate which system goes first, so neither always runs on a warmer or quieter machine.
  order="$SYSTEMS"
  [ $((round % 2)) -eq 0 ] && order="$(echo "$SYSTEMS" | tr ' ' '\n' | tac | tr '\n' ' ')"
  for s in $order; do run_system "$round" "$s"; done
done

python3 - "$RESULTS" <<'PY'
import csv, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter='\t'))
def med(sys_, wl, col):
    v = [float(r[col]) for r in rows if r['system'] == sys_ and r['workload'] == wl and r[col]]
    return statistics.median(v) if v else float('nan')
print(f"{'':28}{'Kafka':>12}{'Runnel':>12}{'Runnel/Kafka':>14}")
for wl, col, label in [('W1', 'records_per_s', 'W1 records/s'), ('W2', 'p99_ms', 'W2 p99 ms'),
                       ('W2', 'p999_ms', 'W2 p99.9 ms'), ('W2s', 'p99_ms', 'W2 steady-state p99 ms'),
                       ('W2s', 'p999_ms', 'W2 steady-state p99.9 ms'), ('W3', 'MB_per_s', 'W3 consume MB/s')]:
    k, r = med('kafka', wl, col), med('runnel', wl, col)
    print(f"{label:28}{k:12.1f}{r:12.1f}{(r / k if k else float('nan')):14.2f}")
for sys_ in ('kafka', 'runnel'):
    extra = [r['extra'] for r in rows if r['system'] == sys_ and r['workload'] == 'W1']
    print(f"{sys_} W1 memory/disk per round: {extra}")
print(f"medians over {len({r['round'] for r in rows})} rounds; all rows in {sys.argv[1]}")
PY
stop_all
[ "${KEEP_DATA:-0}" = 1 ] || rm -rf "$WORK/runnel" "$WORK/kafka"
