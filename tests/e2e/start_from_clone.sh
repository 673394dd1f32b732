#!/usr/bin/env bash
# The main job as a newcomer meets it: from a clean clone in a temporary
# folder, `ops/start`; then sign in with the officer token it printed, read
# the demo's networks through the API, load `/` in the browser harness,
# `ops/stop`, and check that nothing is still listening on the clone's ports.
# Environment: SCREENSHOT_DIR (optional). Runs as root, like CI.
set -euo pipefail
screenshots=${SCREENSHOT_DIR:-}
# A newcomer's shell: none of the test run's settings (ports, database, binary).
unset "${!WAYMARK_@}"
[[ -z $screenshots ]] || export SCREENSHOT_DIR=$screenshots
root=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d /tmp/waymark-clone-XXXXXX)
chmod 755 "$tmp"  # its .run/pg must be reachable by the postgres user
cleanup() {
  "$tmp/ops/stop" >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT
git clone -q "$root" "$tmp"
# The build's cache is shared between clones (ops/build): this is quick once built.
if ! out=$("$tmp/ops/start" 2>"$tmp/start.err"); then
  tail -n 30 "$tmp/start.err"
  exit 1
fi
echo "$out"
url=$(grep -o 'Dashboard: *http://[0-9.:]*' <<<"$out" | grep -o 'http://[0-9.:]*')
officer=$(awk '$1 == "officer" && $2 == "olivia:" {print $3}' <<<"$out")
[[ -n $url && $officer == wmk_* ]] || { echo "no URL or officer token in ops/start's output"; exit 1; }
source "$tmp/.run/ports"

networks=$(curl -sf -H "Authorization: Bearer $officer" "$url/api/v1/networks?limit=100" |
  /usr/bin/python3 -c 'import json, sys; print(len(json.load(sys.stdin)["items"]))')
echo "the API lists $networks networks"
((networks >= 8)) || { echo "expected at least 8 demo networks"; exit 1; }

node "$root/tests/browser/start_page.mjs" "$url" "$officer"

"$tmp/ops/stop"
for port in "$WAYMARK_PG_PORT" "$WAYMARK_HTTP_PORT"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "port $port still listening after ops/stop"
    exit 1
  fi
done
echo "ops/stop: nothing listening on $WAYMARK_PG_PORT or $WAYMARK_HTTP_PORT"
