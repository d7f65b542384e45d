# A primary replaced during --in-place (VACUUM INTO a new file, then mv over it, as a restore or
# a compaction does): the run stops with exit 74 and says that the file was replaced, not SQLite's
# "attempt to write a readonly database", which sends the operator to the permissions.
. "$(dirname "$0")/../faults.inc"
. "$(dirname "$0")/../common.inc"
# Many rows, so that the run is still inserting, in its short transactions, when the file goes.
grow secondary.db 100000 outage
$hm --in-place primary.db secondary.db > report 2> log &
run=$!
n=0
until grep -q 'backed up primary.db' log; do
  n=$((n + 1))
  if [ "$n" -gt 2000 ] || ! kill -0 "$run" 2>/dev/null; then
    echo "the run wrote no backup:" >&2
    cat log >&2
    exit 1
  fi
  sleep 0.01
done
sleep 0.3
sqlite3 -cmd '.timeout 5000' primary.db "VACUUM INTO 'compacted.db'"
mv compacted.db primary.db
set +e
wait "$run"
status=$?
set -e
if [ "$status" != 74 ]; then
  echo "expected exit 74, got $status" >&2
  cat log >&2
  exit 1
fi
grep -q 'primary.db was replaced or removed while this run had it open' log || { cat log >&2; exit 1; }
lacks 'attempt to write a readonly database' log
