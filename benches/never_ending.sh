#!/bin/sh
# Peak memory and wall time of auditing a log whose calls never end (issue #23), under a
# memory limit and without one, and whether the two JSON reports are the same.
#
#   benches/never_ending.sh CALLS LIMIT [CALLFLOW]
#   benches/never_ending.sh 2000000 256M target/release/callflow
#
# The log (3 rows a call, no call_ended) is written once to $TMPDIR/never_ending-CALLS.csv by
# benches/never_ending.py and kept for the next run. LIMIT "default" runs with no
# --memory-limit (the default that fits the machine); "none" with --memory-limit 1T.
set -eu
calls=$1
limit=$2
callflow=${3:-target/release/callflow}
dir=${TMPDIR:-/tmp}
log="$dir/never_ending-$calls.csv"
[ -f "$log" ] || python3 "$(dirname "$0")/never_ending.py" "$calls" "$log"
case "$limit" in
  default) flag="" ;;
  none) flag="--memory-limit 1T" ;;
  *) flag="--memory-limit $limit" ;;
esac
out="$dir/never_ending-$calls-$limit.json"
# shellcheck disable=SC2086
/usr/bin/time -f "$calls calls that never end, limit $limit: %e s wall, peak %M KB" \
  "$callflow" audit "$log" --format json --out "$out" --quiet $flag
grep -c '"verdict":"incomplete"' "$out" | sed 's/^/incomplete calls reported: /'
