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

# Whether Waymark's PostgreSQL cluster, or the development broker, runs now.
pg_running() {
  local data
  data=$(pg_dir)/data
  [[ -f $data/PG_VERSION ]] && (cd / && runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$data" status >/dev/null 2>&1)
}
broker_running() {
  local dir=$WAYMARK_RUN/broker
  [[ -f $dir/pid ]] && kill -0 "$(cat "$dir/pid")" 2>/dev/null && [[ -s $dir/bootstrap ]]
}

log() { printf '%s: %s\n' "$(basename "$0")" "$*" >&2; }
