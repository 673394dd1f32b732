#!/usr/bin/env bash
# The layering rule of STYLE.md, checked on the source tree: each layer
# includes only the layers below it,
#   adapters -> application -> projections -> workflows -> core,
# and among the adapters, the dashboard (adapters/web) never the API's
# internals (adapters/api); core/ and workflows/ include no PostgreSQL, Kafka
# or HTTP client header, projections/ and application/ no client library.
# Prints every offending include and exits 1; exits 0 when the tree keeps the rule.
set -euo pipefail
root=${1:-$(cd "$(dirname "$0")/../.." && pwd)}
cd "$root"

inc='^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"]'
found=0
report() {  # pattern, folders...
  local what=$1 pattern=$2; shift 2
  local hits
  hits=$(grep -rnE --include='*.hpp' --include='*.cpp' --include='*.h' "$inc($pattern)" "$@" || true)
  if [[ -n $hits ]]; then
    printf '%s\n' "$hits" | sed "s|\$|    <- $what|"
    found=1
  fi
}
report "includes an adapter" 'adapters/' core workflows projections application
report "includes the application layer" 'application/' core workflows projections
report "includes a projection" 'projections/' core workflows
report "includes a workflow" 'workflows/' core
report "includes the API's internals" 'adapters/api/' adapters/web adapters/http
report "includes a PostgreSQL header" 'pqxx|libpq-fe|postgresql/' core workflows projections application
report "includes a Kafka header" 'librdkafka|rdkafka' core workflows projections application
report "includes an HTTP header" 'boost/beast|boost/asio' core workflows projections application

# The rule is only worth something if the folders exist and have code.
for d in core workflows projections application; do
  n=$(find "$d" -name '*.cpp' | wc -l)
  if ((n == 0)); then echo "no source files under $d/: is this the Waymark tree?"; exit 1; fi
done
if ((found)); then
  echo "layering: the files above reach across the layers (STYLE.md: adapters -> application -> projections -> workflows -> core)"
  exit 1
fi
echo "layering: every layer includes only those below it (adapters -> application -> projections -> workflows -> core); the dashboard not the API; no client library below the adapters"
