# Without --force, after an rm of the old output: its -wal and -shm, left by a writer killed
# before its checkpoint, are orphans; they are removed before the rename, with a note on stderr,
# so that SQLite does not apply them to the new file: exit 0, the exact rows, integrity_check ok.
. "$(dirname "$0")/../common.inc"
cp primary.db out.db
open_session out.db
say "PRAGMA journal_mode = WAL;" "DELETE FROM click_events WHERE id % 3 = 0;"
kill_session
rm out.db
test -s out.db-wal
$hm primary.db secondary.db -o out.db > /dev/null 2> err
assert_eq 465 "$(rows out.db)" "rows out"
assert_eq ok "$(sqlite3 out.db 'PRAGMA integrity_check')" "integrity_check"
test -z "$(ls out.db-* 2>/dev/null)"
grep -q "removed out.db-wal, out.db-shm, left by an earlier database that no process uses (SQLite would have applied them to the new out.db)$" err
no_leftovers
