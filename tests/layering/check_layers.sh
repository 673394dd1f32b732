#!/usr/bin/env bash
# The layering rule of STYLE.md, checked on the source tree:
#   core/, workflows/ and projections/ include nothing from adapters/;
#   core/ and workflows/ include no PostgreSQL, Kafka or HTTP client header.
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
report "includes an adapter" 'adapters/' core workflows projections
report "includes a PostgreSQL header" 'pqxx|libpq-fe|postgresql/' core workflows projections
report "includes a Kafka header" 'librdkafka|rdkafka' core workflows projections
report "includes an HTTP header" 'boost/beast|boost/asio' core workflows

# The rule is only worth something if the folders exist and have code.
for d in core workflows projections; do
  n=$(find "$d" -name '*.cpp' | wc -l)
  if ((n == 0)); then echo "no source files under $d/: is this the Waymark tree?"; exit 1; fi
done
if ((found)); then
  echo "layering: the files above reach across the layers (STYLE.md: adapters -> projections -> workflows -> core)"
  exit 1
fi
echo "layering: core, workflows and projections include no adapter; core and workflows no client library"
