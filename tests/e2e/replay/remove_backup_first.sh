# --in-place --remove-replays deletes from the live primary only once its backup is written: when
# the first write to the primary fails (an I/O error injected by tests/tools/io_fault.cpp into
# the primary's directory; the backup goes to --backup-dir), the run exits 74 naming the primary,
# the backup holds every row, and the primary is as it was.
. "$(dirname "$0")/../common.inc"
lib="$BUILD_DIR/tests/libio_fault.so"
test -f "$lib" || skip "no $lib"
mkdir live bk
schema=$(sqlite3 primary.db .schema | grep -v sqlite_sequence)
sqlite3 live/a.db "$schema"
ins() {
  sqlite3 "$1" "INSERT INTO click_events(page_url, x, y, viewport_width, viewport_height,
    scroll_y, user_agent, created_at) VALUES ('/p', $2, 10, 1280, 800, 0, 'ua', '$3')"
}
ins live/a.db 100 '2026-03-01 10:00:00.000'
ins live/a.db 100 '2026-03-01 10:05:00.000'
ins live/a.db 200 '2026-03-01 11:00:00.000'
# The secondary holds the same clicks but the replayed copy: nothing to add, one row to remove.
cp live/a.db b.db
sqlite3 b.db "DELETE FROM click_events WHERE id = 2"
before=$(sqlite3 live/a.db 'SELECT * FROM click_events ORDER BY id')
opts="--window 1s --replay-window 1h --remove-replays --in-place --backup-dir bk"

# An ASan build's runtime must come first among the libraries, unless told not to check.
# shellcheck disable=SC2086
expect_exit 74 env LD_PRELOAD="$lib" \
  ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0" \
  IO_FAULT_DIR="$t/live" IO_FAULT_CALL=write IO_FAULT_AT=1 IO_FAULT_ERRNO=EIO $hm $opts live/a.db b.db
grep -q 'live/a.db' err
backup=$(ls bk/a.db.backup-* | head -1)
test -n "$backup"
grep -q "backed up live/a.db to $backup" err
assert_eq "$before" "$(sqlite3 "$backup" 'SELECT * FROM click_events ORDER BY id')" "the backup"
assert_eq "$before" "$(sqlite3 live/a.db 'SELECT * FROM click_events ORDER BY id')" "the primary"

# Without the fault the same run removes the copy.
# shellcheck disable=SC2086
$hm -q $opts live/a.db b.db
assert_eq "1 3" "$(sqlite3 live/a.db 'SELECT id FROM click_events ORDER BY id' | tr '\n' ' ' | sed 's/ $//')" \
  "rows after the run"
