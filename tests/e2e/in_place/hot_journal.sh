# --in-place after a writer (the service, or an earlier --in-place) was killed mid-transaction on
# the primary: the run opens the primary for writing anyway, so it rolls the hot journal back
# itself, says so on stderr, and merges (exit 0), where a read-only open could only exit 75 until
# the service wrote again. The torn UPDATE is gone, and the outage's rows are added.
. "$(dirname "$0")/../faults.inc"
. "$(dirname "$0")/../common.inc"
sum_x=$(sqlite3 primary.db 'SELECT total(x) FROM click_events')
before=$(rows primary.db)
make_hot_journal primary.db
# A dry run writes nothing, not even a rollback: it can only ask to try again.
expect_exit 75 $hm -n --in-place primary.db secondary.db
grep -q 'hot journal' err
test -s primary.db-journal
expect_exit 0 $hm --in-place primary.db secondary.db
grep -q 'rolled back the hot journal of primary.db' err
assert_eq "$sum_x" "$(sqlite3 primary.db "SELECT total(x) FROM click_events WHERE id <= $before")" \
  "the primary's rows as they were before the torn transaction"
test "$(rows primary.db)" -gt "$before"
assert_eq ok "$(sqlite3 primary.db 'PRAGMA integrity_check')" "integrity"
test ! -s primary.db-journal
