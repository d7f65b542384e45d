# A lock held by a writer for about a second is waited for, within --lock-timeout 5s, and the run
# succeeds instead of giving up at once with exit 75 (issue 31, item 13): a secondary under an
# exclusive lock as the snapshots are taken, and, in place, a primary whose write lock a writer
# holds as the run starts writing (its busy handler; a busy timeout of 0 fails there at once).
# locks/locked_input.sh is the timeout that does run out.
. "$(dirname "$0")/../faults.inc"
. "$(dirname "$0")/../common.inc"
test "$(sqlite3 secondary.db 'PRAGMA journal_mode')" = delete

# hold_lock DB BEGIN: a writer that holds DB's lock from BEGIN (EXCLUSIVE or IMMEDIATE) with an
# uncommitted row, until release_lock. It reads its SQL from a FIFO that this script keeps open on
# descriptor 3: closing it ends the writer, which rolls back and lets go.
hold_lock() {
  rm -f writer.sql writer.out
  mkfifo writer.sql
  sqlite3 "$1" < writer.sql > writer.out &
  writer=$!
  exec 3> writer.sql
  echo "BEGIN $2;" >&3
  echo "INSERT INTO click_events(page_url, x, y, created_at) VALUES ('/locked', 1, 1, '2026-03-01T00:00:00');" >&3
  echo "SELECT 'locked';" >&3
  n=0
  until grep -q locked writer.out 2>/dev/null; do
    n=$((n + 1)); [ "$n" -lt 500 ] || { echo "the writer never took the lock" >&2; exit 1; }
    sleep 0.01
  done
}

release_lock() {
  exec 3>&-
  wait "$writer"
  rm writer.sql
}

# waits_for_lock ARGS...: heatmap-merge ARGS, started under the lock, which is let go after 1 s;
# it must succeed, after at least that second.
waits_for_lock() {
  start=$(date +%s.%N)
  # Not holding the FIFO open itself: the writer must see its end.
  timeout 20 $hm -q --lock-timeout 5s "$@" 2> err 3>&- &
  merge=$!
  sleep 1
  release_lock
  set +e
  wait "$merge"
  status=$?
  set -e
  took=$(echo "$(date +%s.%N) - $start" | bc)
  [ "$status" = 0 ] || { echo "expected exit 0 after waiting for the lock, got $status: $*" >&2; cat err >&2; exit 1; }
  [ "$(echo "$took >= 1" | bc)" = 1 ] || { echo "done in $took s: the lock was never waited for" >&2; exit 1; }
}

hold_lock secondary.db EXCLUSIVE
waits_for_lock -o out.db primary.db secondary.db
assert_eq 465 "$(rows out.db)" "rows out"
assert_eq 0 "$(rows out.db "page_url = '/locked'")" "the writer's rolled back row"

cp primary.db live.db
hold_lock live.db IMMEDIATE
waits_for_lock --in-place live.db secondary.db
assert_eq 465 "$(rows live.db)" "rows in place"
assert_eq 0 "$(rows live.db "page_url = '/locked'")" "the writer's rolled back row"
no_leftovers
