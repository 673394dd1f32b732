# Shared settings for the ops scripts; sourced, not run.
# Everything Waymark runs beside itself lives under $WAYMARK_RUN (default
# .run/ in the checkout). Override the ports with WAYMARK_PG_PORT.

WAYMARK_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
WAYMARK_RUN=${WAYMARK_RUN:-$WAYMARK_ROOT/.run}
WAYMARK_BUILD=${WAYMARK_BUILD:-$WAYMARK_ROOT/build}
WAYMARK_PG_PORT=${WAYMARK_PG_PORT:-54329}
WAYMARK_PG_DB=${WAYMARK_PG_DB:-waymark}
PG_BIN=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}

mkdir -p "$WAYMARK_RUN"

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

# Whether Waymark's PostgreSQL cluster, or the dev broker, runs now.
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
