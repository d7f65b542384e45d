# The patch applied (twice) to a primary that a live writer inserts into the whole time (one
# click per transaction, Python's 5 s busy timeout), in rollback-journal and in WAL mode: no
# insert of the writer fails, it gets in between the patch's transactions, and every writer row
# and every patch row is there exactly once.
. "$(dirname "$0")/../faults.inc"
. "$(dirname "$0")/../common.inc"
. "$(dirname "$0")/../sql_patch.inc"
# 45,000 outage clicks: five transactions of the patch.
grow secondary.db 45000 outage
make_patch patch.sql primary.db secondary.db
grep -q '^-- Plan: 45065 rows to add, in 5 transactions$' patch.sql
for mode in delete wal; do
  cp primary.db target.db
  rm -f ids
  assert_eq "$mode" "$(sqlite3 target.db "PRAGMA journal_mode = $mode")" "journal mode"
  # Until SIGTERM: --ids makes it stop cleanly, after the click in progress.
  "$LIVE_WRITER" --ids ids target.db 100 /live > writer.out 2> writer.err &
  writer=$!
  # A failed assertion must not leave the writer running.
  at_exit "kill $writer 2>/dev/null || true"
  n=0
  until [ -e ids ]; do
    n=$((n + 1)); [ "$n" -lt 500 ] || { echo "the writer did not start" >&2; exit 1; }
    sleep 0.01
  done
  sleep 0.2
  apply_patch target.db patch.sql
  assert_eq 45065 "$(added_by_patch)" "$mode: rows added"
  apply_patch target.db patch.sql
  assert_eq 0 "$(added_by_patch)" "$mode: rows added the second time"
  sleep 0.2
  kill -TERM "$writer"
  wait "$writer" || { cat writer.out writer.err >&2; exit 1; }
  grep live_writer writer.out
  live=$(sed -n 's/^inserted \([0-9]*\) errors 0$/\1/p' writer.out)
  test "$live" -gt 10
  assert_eq "$live" "$(rows target.db "page_url = '/live'")" "$mode: live rows"
  assert_eq "$live" "$(wc -l < ids)" "$mode: live rows committed"
  assert_eq 45000 "$(rows target.db "page_url LIKE '/outage/%'")" "$mode: outage rows, once each"
  assert_eq 45000 "$(sqlite3 target.db "SELECT count(DISTINCT created_at) FROM click_events
                                        WHERE page_url LIKE '/outage/%'")" "$mode: distinct outage rows"
  assert_eq $((400 + live + 45065)) "$(rows target.db)" "$mode: rows in the primary"
  # The writer got in during the pauses between the patch's transactions, not only after it.
  between=$(rows target.db "page_url = '/live' AND id BETWEEN
    (SELECT min(id) FROM click_events WHERE id > 400 AND page_url <> '/live') AND
    (SELECT max(id) FROM click_events WHERE page_url <> '/live')")
  test "$between" -ge 2 || { echo "$mode: $between writer rows between the patch's" >&2; exit 1; }
  assert_eq ok "$(sqlite3 target.db 'PRAGMA integrity_check')" "$mode: integrity"
done
