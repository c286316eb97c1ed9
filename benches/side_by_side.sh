#!/bin/bash
# Issue #22's side-by-side: the audit against the floor every auditor pays (a plain csv-crate
# read of the file, examples/parse_only.rs) and, when PM4Py is installed, against PM4Py's
# token replay (benches/pm4py_replay.py). Alternating rounds, fastest and median wall time
# (benches/alternate.sh), then one run each under /usr/bin/time for CPU and peak memory.
#
#   benches/side_by_side.sh LOG.csv [ROUNDS]     (e.g. a 200k-call log from `callflow simulate`)
#
# BEFORE=path/to/an/older/callflow adds that binary's audit to the rounds (a before/after
# table on one machine, alternated with the rest); THREADS=N passes --threads N to both.
set -euo pipefail
log=$1
rounds=${2:-15}
cd "$(dirname "$0")/.."
cargo build --release --quiet --bin callflow --example parse_only
threads=${THREADS:+--threads $THREADS}
audit="target/release/callflow audit $log --format json --out /tmp/side_by_side.json --quiet $threads"
parse="target/release/examples/parse_only $log"
args=(parse "$parse" audit "$audit")
before=""
if [ -n "${BEFORE:-}" ]; then
  before="$BEFORE audit $log --format json --out /tmp/side_by_side_before.json --quiet $threads"
  args+=(before "$before")
fi
pm4py=""
if python3 -c 'import pm4py' 2>/dev/null; then
  pm4py="python3 benches/pm4py_replay.py $log"
fi
echo "wall time, $rounds alternating rounds:"
benches/alternate.sh "$rounds" "${args[@]}"
if [ -n "$pm4py" ]; then
  benches/alternate.sh 1 pm4py "$pm4py"
else
  echo "pm4py     not installed (pip install pm4py): skipped"
fi
echo "CPU and peak memory, one run each:"
for pair in "parse|$parse" "audit|$audit" ${before:+"before|$before"} ${pm4py:+"pm4py|$pm4py"}; do
  label=${pair%%|*}
  /usr/bin/time -f "$label  wall %e s  user %U s  sys %S s  peak %M KB" bash -c "${pair#*|} >/dev/null 2>&1 || true"
done
