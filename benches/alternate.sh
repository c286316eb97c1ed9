#!/bin/bash
# Runs commands in turn, N rounds, and prints each one's fastest and median wall time: on a
# shared machine whose speed drifts by the minute, alternating runs compare like with like.
#
#   benches/alternate.sh 10 parse "target/release/examples/parse_only /tmp/200k.csv" \
#       audit "target/release/callflow audit /tmp/200k.csv --format json --out /tmp/200k.json --quiet"
set -euo pipefail
rounds=$1
shift
labels=()
commands=()
while [ $# -gt 0 ]; do
  labels+=("$1")
  commands+=("$2")
  shift 2
done
for _ in $(seq "$rounds"); do
  for i in "${!labels[@]}"; do
    start=$(date +%s.%N)
    bash -c "${commands[$i]}" >/dev/null 2>&1 || true
    end=$(date +%s.%N)
    echo "${labels[$i]} $(echo "$end - $start" | bc)"
  done
done | sort -k1,1 -k2n | awk '
  { times[$1] = times[$1] " " $2 }
  END {
    for (label in times) {
      n = split(times[label], t, " ")
      printf "%-10s fastest %.3f s  median %.3f s  (%d runs)\n", label, t[1], t[int((n + 1) / 2)], n
    }
  }'
