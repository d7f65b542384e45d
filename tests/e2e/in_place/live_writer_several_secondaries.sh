# --in-place from two secondaries into a primary that a live writer inserts into the whole time,
# in rollback-journal and in WAL mode: the writer never sees an error, every live row and every
# row the secondaries add ends up in the primary once, and the report counts them (issue 31).
. "$(dirname "$0")/../faults.inc"
. "$(dirname "$0")/../common.inc"
# The first adds fewer rows than a block of 1,024 planned rows, the second many blocks' worth.
grow secondary.db 500 first
sqlite3 second.db < "$testdata/schema.sql"
grow second.db 20000 second
cp primary.db primary-orig.db
for mode in delete wal; do
  rm -f primary.db primary.db-wal primary.db-shm primary.db.backup-*
  cp primary-orig.db primary.db
  assert_eq $mode "$(sqlite3 primary.db "PRAGMA journal_mode = $mode")" "journal mode"
  primary_before=$(rows primary.db)
  "$LIVE_WRITER" primary.db 3 /live > writer.out 2> writer.err &
  writer=$!
  # A failed assertion must not leave the writer running.
  at_exit "kill $writer 2>/dev/null || true"
  sleep 0.3
  $hm --in-place --window 2s primary.db secondary.db second.db > report 2> log
  wait "$writer" || { cat writer.err >&2; exit 1; }
  live=$(sed -n 's/^inserted \([0-9]*\) errors 0$/\1/p' writer.out)
  test "$live" -gt 10
  assert_eq "$live" "$(rows primary.db "page_url = '/live'")" "$mode: live rows"
  for tag in first second; do
    want=$([ $tag = first ] && echo 500 || echo 20000)
    assert_eq "$want" "$(rows primary.db "page_url LIKE '/$tag/%'")" "$mode: /$tag/ rows"
    assert_eq 0 "$(sqlite3 primary.db "SELECT count(*) FROM (SELECT 1 FROM click_events
      WHERE page_url LIKE '/$tag/%' GROUP BY page_url, x, y, created_at HAVING count(*) > 1)")" \
      "$mode: doubled /$tag/ clicks"
  done
  assert_eq $((primary_before + live + 20560)) "$(rows primary.db)" "$mode: rows in the primary"
  assert_eq ok "$(sqlite3 primary.db 'PRAGMA integrity_check')" "$mode: integrity"
  grep -q '^added 20560 rows to primary.db in place' report
  $hm -n --in-place --window 2s primary.db secondary.db second.db > dry 2>&1
  grep -q '^nothing to add' dry || { echo "$mode: a dry run afterwards:" >&2; cat dry >&2; exit 1; }
done
