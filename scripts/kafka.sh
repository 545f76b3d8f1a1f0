#!/usr/bin/env bash
# Runs a real single-node Apache Kafka broker (KRaft: broker + controller in one JVM, no
# ZooKeeper) on 127.0.0.1 for the tests, from the jars on Maven Central (scripts/kafka/pom.xml).
#
#   bash scripts/kafka.sh start    # prints the broker list (127.0.0.1:PORT) as the LAST stdout line
#   bash scripts/kafka.sh stop     # exit 0 also when nothing is running
#   bash scripts/kafka.sh status   # "running ..." + exit 0, or "stopped" + exit 1
#   bash scripts/kafka.sh restart  # stop and start again KEEPING topics and offsets (fault tests)
#
# Environment:
#   NIGHTSHIFT_KAFKA_HOME           cache/state dir (default ~/.cache/nightshift/kafka-3.9.1)
#   NIGHTSHIFT_KAFKA_PORT           client port (default 19092); the controller uses PORT+1
#   NIGHTSHIFT_KAFKA_START_TIMEOUT  seconds to wait for the broker (default 90)
#
# Only the address goes to stdout: scripts/run-tests.mjs reads it from there. Everything else,
# including Maven's and Kafka's own tool output, goes to stderr or to files in the cache dir.
set -euo pipefail

KAFKA_VERSION=3.9.1
SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
POM="$SCRIPT_DIR/kafka/pom.xml"
HOME_DIR="${NIGHTSHIFT_KAFKA_HOME:-$HOME/.cache/nightshift/kafka-$KAFKA_VERSION}"
PORT="${NIGHTSHIFT_KAFKA_PORT:-19092}"
CONTROLLER_PORT=$((PORT + 1))
START_TIMEOUT="${NIGHTSHIFT_KAFKA_START_TIMEOUT:-90}"
HOST=127.0.0.1
ADDRESS="$HOST:$PORT"

LIB="$HOME_DIR/lib"
LIB_MARKER="$HOME_DIR/lib.complete"   # holds the pom's sha256: a changed pom re-resolves the jars
CONF="$HOME_DIR/config"
DATA="$HOME_DIR/data"
LOGS="$HOME_DIR/logs"
SERVER_LOG="$LOGS/server.log"
PID_FILE="$HOME_DIR/kafka.pid"
LOCK_FILE="$HOME_DIR/.lock"

log() { echo "kafka.sh: $*" >&2; }
die() { log "error: $*"; exit 1; }

port_open() {
  # bash's /dev/tcp: no nc/ss needed. A refused connect on loopback returns at once.
  (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null
}

# The pid from the pid file, if that process is alive and really is our broker (guards against a
# stale pid file whose pid the kernel has since reused for something else).
our_pid() {
  [[ -f "$PID_FILE" ]] || return 1
  local pid
  pid="$(cat "$PID_FILE" 2>/dev/null || true)"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF "kafka.Kafka $CONF/server.properties" || return 1
  echo "$pid"
}

lock() {
  # Serialises concurrent start/stop calls on the same cache dir.
  mkdir -p "$HOME_DIR"
  exec 9>"$LOCK_FILE"
  flock -w 120 9 || die "could not lock $LOCK_FILE (another kafka.sh is busy)"
}

resolve_jars() {
  local want
  want="$(sha256sum "$POM" | cut -d' ' -f1)"
  if [[ -f "$LIB_MARKER" && "$(cat "$LIB_MARKER")" == "$want" ]] && compgen -G "$LIB/kafka_2.13-*.jar" >/dev/null; then
    return 0
  fi
  command -v mvn >/dev/null || die "mvn is needed to fetch the Kafka jars"
  log "resolving Kafka $KAFKA_VERSION jars from Maven Central into $LIB ..."
  rm -rf "$LIB" "$LIB.tmp" "$LIB_MARKER"
  # Maven prints its errors on stdout even with -q: send them to stderr so they can never be
  # mistaken for the broker address. Copy into a temp dir and rename, so an interrupted download
  # never leaves a half-filled lib/ that looks complete.
  # (Maven 3.8 emits ANSI reset codes even with -B; sed strips them.)
  mvn -B -q -f "$POM" dependency:copy-dependencies -DoutputDirectory="$LIB.tmp" 2>&1 \
    | sed 's/\x1b\[[0-9;]*m//g' >&2 \
    || die "mvn dependency:copy-dependencies failed (see above)"
  compgen -G "$LIB.tmp/kafka_2.13-$KAFKA_VERSION.jar" >/dev/null || die "kafka_2.13-$KAFKA_VERSION.jar missing after mvn"
  mv "$LIB.tmp" "$LIB"
  echo "$want" >"$LIB_MARKER"
}

write_config() {
  mkdir -p "$CONF" "$LOGS"
  cat >"$CONF/server.properties" <<EOF
# Written by scripts/kafka.sh on every start; edits are lost.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@$HOST:$CONTROLLER_PORT
listeners=PLAINTEXT://$HOST:$PORT,CONTROLLER://$HOST:$CONTROLLER_PORT
advertised.listeners=PLAINTEXT://$HOST:$PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$DATA
num.partitions=1
auto.create.topics.enable=false
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
log.segment.bytes=16777216
EOF
  # reload4j (log4j 1.x API). \${nightshift.kafka.log} is a JVM system property, so the storage
  # tool and the broker can share this file but write different logs. Console stays silent.
  cat >"$CONF/log4j.properties" <<'EOF'
log4j.rootLogger=INFO, file
log4j.appender.file=org.apache.log4j.FileAppender
log4j.appender.file.File=${nightshift.kafka.log}
log4j.appender.file.Append=true
log4j.appender.file.layout=org.apache.log4j.PatternLayout
log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n
# Per-request and per-partition state logs are far too chatty even for a file.
log4j.logger.kafka.request.logger=WARN
log4j.logger.state.change.logger=WARN
log4j.logger.kafka.log.LogCleaner=WARN
EOF
}

java_run() {
  # "<dir>/*" must reach java unexpanded: java's own classpath wildcard takes every jar in lib/.
  java -Dlog4j.configuration="file:$CONF/log4j.properties" -cp "$LIB/*" "$@"
}

print_log_tail() {
  log "last 40 lines of $SERVER_LOG:"
  tail -n 40 "$SERVER_LOG" >&2 2>/dev/null || true
  if [[ -s "$LOGS/stdout.log" ]]; then
    log "last 20 lines of $LOGS/stdout.log:"
    tail -n 20 "$LOGS/stdout.log" >&2 || true
  fi
}

kill_broker() {
  local pid="$1" waited=0
  kill -TERM "$pid" 2>/dev/null || return 0
  # A KRaft broker+controller shuts down cleanly in a few seconds; don't hang a test run on it.
  while kill -0 "$pid" 2>/dev/null; do
    if ((waited >= 20)); then
      log "broker (pid $pid) still alive after 20 s, sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      break
    fi
    sleep 1
    waited=$((waited + 1))
  done
  # Wait until the kernel has really reaped it (SIGKILL is asynchronous).
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
}

cmd_start() {
  command -v java >/dev/null || die "java (17+) is needed to run the broker"
  lock
  local pid
  if [[ "${1:-}" == keep ]]; then
    # A restart, as after a crash or an upgrade: the same data, so the test sees what clients see.
    if pid="$(our_pid)"; then kill_broker "$pid"; fi
    rm -f "$PID_FILE"
  elif pid="$(our_pid)"; then
    if port_open "$PORT"; then
      log "broker already running (pid $pid)"
      echo "$ADDRESS"
      return 0
    fi
    # Ours but not serving on this port (other NIGHTSHIFT_KAFKA_PORT, or wedged): restart it.
    log "broker pid $pid is not serving on $ADDRESS; restarting it"
    kill_broker "$pid"
  fi
  rm -f "$PID_FILE"
  for p in "$PORT" "$CONTROLLER_PORT"; do
    port_open "$p" && die "port $HOST:$p is in use by another process; set NIGHTSHIFT_KAFKA_PORT to a free port (the controller uses PORT+1)"
  done

  local t0=$SECONDS
  resolve_jars
  write_config

  if [[ "${1:-}" == keep && -f "$DATA/meta.properties" ]]; then
    mv -f "$SERVER_LOG" "$SERVER_LOG.before-restart" 2>/dev/null || true
  else
  # A fresh, empty broker for every run: tests must never see topics or offsets of an earlier run.
  rm -rf "$DATA" "$LOGS"
  mkdir -p "$DATA" "$LOGS"

  local cluster_id
  cluster_id="$(java_run -Dnightshift.kafka.log="$LOGS/storage-tool.log" kafka.tools.StorageTool random-uuid 2>>"$LOGS/storage-tool.log" | tail -n 1)"
  [[ -n "$cluster_id" ]] || die "StorageTool random-uuid printed nothing (see $LOGS/storage-tool.log)"
  java_run -Dnightshift.kafka.log="$LOGS/storage-tool.log" kafka.tools.StorageTool format \
    -t "$cluster_id" -c "$CONF/server.properties" >>"$LOGS/storage-tool.log" 2>&1 \
    || { tail -n 20 "$LOGS/storage-tool.log" >&2; die "formatting $DATA failed"; }
  fi

  log "starting Kafka $KAFKA_VERSION (KRaft) on $ADDRESS, controller on $HOST:$CONTROLLER_PORT ..."
  # setsid: own session, so a Ctrl-C aimed at the test runner does not kill the broker half-way.
  # stdin/stdout/stderr must all be redirected: run-tests.mjs reads our stdout through a pipe with
  # spawnSync, which would wait forever for a background child that still held that pipe. fd 9
  # (the flock) is closed for the same reason: the broker would otherwise hold the lock for life.
  # With job control off, the background child is no process-group leader, so setsid execs
  # without forking and $! is the java pid itself (checked below via /proc by our_pid).
  # The JVM options of Kafka's own kafka-server-start.sh (KAFKA_HEAP_OPTS, KAFKA_JVM_PERFORMANCE_OPTS).
  # With half that heap, old space sat at ~85%: a concurrent G1 cycle every few seconds and young
  # pauses of 5-18 ms that every producer waited out (bench/ingest's p99 on a 2-core machine).
  # A GC log as its kafkaServer-gc.log: a broker pause shows up as slow produce round trips.
  setsid nohup java -Xms1g -Xmx1g -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35 \
    -XX:+ExplicitGCInvokesConcurrent -XX:MaxInlineLevel=15 -Djava.awt.headless=true \
    -Xlog:gc:file="$LOGS/gc.log":uptime,tags:filecount=4,filesize=10M \
    -Dlog4j.configuration="file:$CONF/log4j.properties" -Dnightshift.kafka.log="$SERVER_LOG" \
    -cp "$LIB/*" kafka.Kafka "$CONF/server.properties" \
    </dev/null >"$LOGS/stdout.log" 2>&1 9>&- &
  echo $! >"$PID_FILE"

  local deadline=$((SECONDS + START_TIMEOUT))
  while ! grep -q "Kafka Server started" "$SERVER_LOG" 2>/dev/null; do
    if ! pid="$(our_pid)"; then
      print_log_tail
      rm -f "$PID_FILE"
      die "the broker exited during startup"
    fi
    if ((SECONDS >= deadline)); then
      print_log_tail
      kill_broker "$pid"
      rm -f "$PID_FILE"
      die "the broker did not start within $START_TIMEOUT s"
    fi
    sleep 0.5
  done
  port_open "$PORT" || { print_log_tail; kill_broker "$pid"; rm -f "$PID_FILE"; die "broker logged 'started' but $ADDRESS is closed"; }
  log "broker up (pid $pid) in $((SECONDS - t0)) s; logs in $LOGS"
  echo "$ADDRESS"
}

cmd_stop() {
  lock
  local pid
  if pid="$(our_pid)"; then
    log "stopping broker (pid $pid) ..."
    kill_broker "$pid"
    log "stopped"
  else
    log "no broker running"
  fi
  rm -f "$PID_FILE"
}

cmd_status() {
  local pid
  if pid="$(our_pid)" && port_open "$PORT"; then
    echo "running (pid $pid) at $ADDRESS"
  else
    echo "stopped"
    return 1
  fi
}

case "${1:-}" in
  start) cmd_start ;;
  restart) cmd_start keep ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  *) echo "usage: $0 start|stop|status|restart" >&2; exit 2 ;;
esac
