# Shared by bench/many-partitions.sh, bench/many-topics.sh and bench/fresh-topics.sh (source it
# after setting WORK, and BASE_PORT if not 29292, and cd-ing to the checkout): a 3-broker
# `bin/runnel dev` on that base port, and what an idle cluster costs.
BASE_PORT=${BASE_PORT:-29292}
BS="127.0.0.1:$BASE_PORT,127.0.0.1:$((BASE_PORT + 100)),127.0.0.1:$((BASE_PORT + 200))"
log() { echo "[$(date +%T)] $*" >&2; }

# Makes $WORK ready for a fresh cluster. Only ever deletes inside a directory a bench script made
# (it always holds dev.log).
prepare_work_dir() {
  if [ -d "$WORK" ] && [ -n "$(ls -A "$WORK")" ] && [ ! -e "$WORK/dev.log" ]; then
    log "WORK=$WORK is not empty and was not made by a bench script; choose another directory"
    exit 2
  fi
  mkdir -p "$WORK" || { log "cannot create WORK=$WORK"; exit 2; }
  rm -rf "$WORK/data"
  : > "$WORK/dev.log"
}

# Starts the cluster in the background, stopped when the calling script exits; waits until up.
# Extra `bin/runnel dev` arguments (e.g. --set KEY=VALUE) come from the array DEV_ARGS, and the
# brokers' JVM options from BROKER_JAVA_OPTS (bin/runnel's defaults when unset).
start_dev_cluster() {
  if [ -n "${BROKER_JAVA_OPTS:-}" ]; then
    RUNNEL_JAVA_OPTS="$BROKER_JAVA_OPTS" bin/runnel dev --brokers 3 --data-dir "$WORK/data" \
      --base-port "$BASE_PORT" ${DEV_ARGS[@]+"${DEV_ARGS[@]}"} > "$WORK/dev.log" 2>&1 &
  else
    bin/runnel dev --brokers 3 --data-dir "$WORK/data" --base-port "$BASE_PORT" \
      ${DEV_ARGS[@]+"${DEV_ARGS[@]}"} > "$WORK/dev.log" 2>&1 &
  fi
  DEV=$!
  # TERM, not INT: a background job of a non-interactive shell starts with SIGINT ignored.
  trap 'kill $DEV 2>/dev/null; wait $DEV 2>/dev/null || true' EXIT
  for _ in $(seq 1 300); do grep -q "Runnel is up" "$WORK/dev.log" && break; sleep 1; done
  grep -q "Runnel is up" "$WORK/dev.log" || { log "cluster did not start: $WORK/dev.log"; exit 1; }
}

# Prints the CPU the brokers use over $1 seconds, then each broker's RSS and threads.
report_idle_cost() {
  local seconds=$1 brokers hz j0=0 j1=0 p
  brokers=$(pgrep -f "dev.runnel.cli.Main server" | tr '\n' ' ')
  hz=$(getconf CLK_TCK)
  for p in $brokers; do j0=$((j0 + $(awk '{print $14+$15}' /proc/$p/stat))); done
  sleep "$seconds"
  for p in $brokers; do j1=$((j1 + $(awk '{print $14+$15}' /proc/$p/stat))); done
  echo "idle CPU of the cluster: $(echo "scale=2; ($j1 - $j0) / $hz / $seconds" | bc) cores over $seconds s"
  for p in $brokers; do
    echo "broker pid $p: RSS $(awk '/VmRSS/{printf "%d", $2/1024}' /proc/$p/status) MB, threads $(ls /proc/$p/task | wc -l)"
  done
}
