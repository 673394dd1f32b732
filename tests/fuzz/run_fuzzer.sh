#!/usr/bin/env bash
# One libFuzzer target for WAYMARK_FUZZ_RUN_SECONDS (default 10) from its
# committed corpus (read only: new inputs go to a temporary folder). Exit 77
# (skipped) without the libFuzzer build ($WAYMARK_FUZZ_BUILD, made by
# `ops/fuzz --build-only`); 1 on a finding, saved in a temporary folder
# and named in the output.
set -euo pipefail
target=$1 source=$2
binary=${WAYMARK_FUZZ_BUILD:-}/fuzz_$target
[[ -n ${WAYMARK_FUZZ_BUILD:-} && -x $binary ]] || { echo "no libFuzzer build: skipped"; exit 77; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/corpus" "$work/findings"
status=0
ASAN_OPTIONS=detect_leaks=0 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
  "$binary" -max_total_time="${WAYMARK_FUZZ_RUN_SECONDS:-10}" -timeout=10 -rss_limit_mb=4096 \
  -artifact_prefix="$work/findings/" -print_final_stats=1 \
  "$work/corpus" "$source/corpus/$target" >"$work/log" 2>&1 || status=$?
grep -E 'stat::number_of_executed_units|stat::average_exec_per_sec' "$work/log" || true
if ((status != 0)) || [[ -n $(ls -A "$work/findings") ]]; then
  grep -a -m5 -E 'finding:|ERROR:|runtime error|SUMMARY' "$work/log" || tail -n 20 "$work/log"
  for f in "$work"/findings/*; do
    [[ -e $f ]] && { echo "finding $(basename "$f"):"; xxd "$f" | head -n 8; }
  done
  exit 1
fi
