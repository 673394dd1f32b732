# Shared settings for the ops scripts; sourced, not run.
# Everything Waymark runs beside itself lives under $WAYMARK_RUN (default
# .run/ in the checkout), its ports included: see "Ports" below.

WAYMARK_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
WAYMARK_RUN=${WAYMARK_RUN:-$WAYMARK_ROOT/.run}
WAYMARK_BUILD=${WAYMARK_BUILD:-$WAYMARK_ROOT/build}
WAYMARK_PG_DB=${WAYMARK_PG_DB:-waymark}
PG_BIN=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}

mkdir -p "$WAYMARK_RUN"

# Ports: PostgreSQL's and `waymark serve`'s, chosen once per checkout and kept
# in $WAYMARK_RUN/ports, so that two clones run side by side. The first
# choice is derived from the checkout's path (a pair in 20000-39999); a pair
# another program listens on is passed over. WAYMARK_PG_PORT and
# WAYMARK_HTTP_PORT in the environment win over both.
port_taken() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
if [[ -f $WAYMARK_RUN/ports ]]; then
  # shellcheck source=/dev/null
  source <(sed -n 's/^\(WAYMARK_[A-Z_]*_PORT\)=\([0-9]*\)$/: ${\1:=\2}/p' "$WAYMARK_RUN/ports")
fi
if [[ -z ${WAYMARK_PG_PORT:-} || -z ${WAYMARK_HTTP_PORT:-} ]]; then
  base=$((20000 + $(echo -n "$WAYMARK_ROOT" | cksum | cut -d' ' -f1) % 10000 * 2))
  while port_taken "$base" || port_taken $((base + 1)); do base=$((base + 2)); done
  WAYMARK_PG_PORT=${WAYMARK_PG_PORT:-$base}
  WAYMARK_HTTP_PORT=${WAYMARK_HTTP_PORT:-$((base + 1))}
  printf 'WAYMARK_PG_PORT=%s\nWAYMARK_HTTP_PORT=%s\n' "$WAYMARK_PG_PORT" "$WAYMARK_HTTP_PORT" \
    >"$WAYMARK_RUN/ports"
fi
# The development broker's pair (Kafka clients, KRaft controller) comes from
# 10000-19999 the same way, and WAYMARK_KAFKA_PORT wins likewise.
if [[ -z ${WAYMARK_KAFKA_PORT:-} ]]; then
  base=$((10000 + $(echo -n "$WAYMARK_ROOT" | cksum | cut -d' ' -f1) % 5000 * 2))
  while port_taken "$base" || port_taken $((base + 1)); do base=$((base + 2)); done
  WAYMARK_KAFKA_PORT=$base
  echo "WAYMARK_KAFKA_PORT=$WAYMARK_KAFKA_PORT" >>"$WAYMARK_RUN/ports"
fi
export WAYMARK_PG_PORT WAYMARK_HTTP_PORT WAYMARK_KAFKA_PORT

# Apache Kafka's jars (ops/kafka/pom.xml), fetched by ops/install-deps.
kafka_lib() { echo "$WAYMARK_RUN/kafka/lib"; }
kafka_version() { sed -n 's/.*<kafka.version>\(.*\)<.*/\1/p' "$WAYMARK_ROOT/ops/kafka/pom.xml"; }

# PostgreSQL's data must be reachable by the postgres user, which a checkout
# under a private home folder (e.g. /root) is not; then it lives in /var/tmp.
pg_dir() {
  if [[ -n ${WAYMARK_PG_DIR:-} ]]; then
    echo "$WAYMARK_PG_DIR"
  elif runuser -u postgres -- test -x "$WAYMARK_RUN" 2>/dev/null; then
    echo "$WAYMARK_RUN/pg"
  else
    echo "/var/tmp/waymark-pg-$(echo -n "$WAYMARK_ROOT" | sha256sum | cut -c1-12)"
  fi
}

pg_conninfo() {
  echo "host=127.0.0.1 port=$WAYMARK_PG_PORT user=postgres dbname=${1:-$WAYMARK_PG_DB}"
}

# The postmaster's pid while Waymark's PostgreSQL cluster runs. The pid in
# postmaster.pid counts only when that process is a postgres serving this
# data folder: after a crash the file stays, and its pid may since have gone
# to another program (pg_ctl would signal it).
pg_pid() {
  local data pid
  data=$(pg_dir)/data
  [[ -f $data/postmaster.pid ]] || return 1
  pid=$(head -n 1 "$data/postmaster.pid")
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  tr '\0' '\n' <"/proc/$pid/cmdline" 2>/dev/null | grep -qxF -- "$data" || return 1
  echo "$pid"
}
# Whether Waymark's PostgreSQL cluster, or the development broker, runs now.
pg_running() { pg_pid >/dev/null; }
broker_running() {
  local dir=$WAYMARK_RUN/broker
  [[ -f $dir/pid ]] && kill -0 "$(cat "$dir/pid")" 2>/dev/null && [[ -s $dir/bootstrap ]]
}

log() { printf '%s: %s\n' "$(basename "$0")" "$*" >&2; }

# Stops `waymark NAME` (pid in $WAYMARK_RUN/NAME.pid) if it runs: SIGTERM,
# then SIGKILL if it outlives 30 s (serve drains its requests in flight for
# at most 20 s). Says which it took.
stop_job() {
  local job=$1 pid
  [[ -f $WAYMARK_RUN/$job.pid ]] || return 0
  pid=$(cat "$WAYMARK_RUN/$job.pid")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid"
    for _ in $(seq 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then
      kill -KILL "$pid" 2>/dev/null || true
      log "waymark $job did not stop within 30 s of SIGTERM: killed (see $WAYMARK_RUN/$job.log)"
    else
      log "waymark $job stopped"
    fi
  fi
  rm -f "$WAYMARK_RUN/$job.pid"
}
