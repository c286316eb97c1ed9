#!/bin/bash
# Storing a 200k-call audit: the audit alone against the audit with --history on SQLite (a new
# file each time) and on PostgreSQL (a throwaway cluster started here, on a Unix socket, and
# stopped at the end), N rounds alternated (benches/alternate.sh).
#
#   benches/history.sh 3 target/release/callflow /work/baseline/200k.csv
set -euo pipefail
rounds=$1
callflow=$(realpath "$2")
log=$(realpath "$3")
work=$(mktemp -d /tmp/callflow-history-bench.XXXXXX)
bin=$(dirname "$(ls /usr/lib/postgresql/*/bin/initdb | sort -V | tail -1)")
as_pg=()
if [ "$(id -u)" = 0 ]; then
  chown postgres:postgres "$work"
  as_pg=(runuser -u postgres --)
fi
"${as_pg[@]}" "$bin/initdb" -D "$work/data" -A trust -U postgres --no-sync -E UTF8 >/dev/null
"${as_pg[@]}" "$bin/pg_ctl" -D "$work/data" -l "$work/server.log" -w \
  -o "-c listen_addresses='' -k $work -c port=5432" start >/dev/null
trap '"${as_pg[@]}" "$bin/pg_ctl" -D "$work/data" -m immediate -w stop >/dev/null; rm -rf "$work"' EXIT
pg="postgresql://postgres@/h?host=$work&port=5432"
fresh_pg="$bin/dropdb -h $work -U postgres --if-exists h; $bin/createdb -h $work -U postgres h"
here=$(dirname "$0")
"$here/alternate.sh" "$rounds" \
  audit "$callflow audit $log --format json --out $work/a.json --quiet" \
  sqlite "rm -f $work/h.db; $callflow audit $log --format json --out $work/s.json --quiet --history $work/h.db" \
  postgres "$fresh_pg; $callflow audit $log --format json --out $work/p.json --quiet --history '$pg'"
# The last runs' stores, checked: every call of the log stored, on both.
"$callflow" history list --history "$work/h.db" | tail -1
"$callflow" history list --history "$pg" | tail -1
