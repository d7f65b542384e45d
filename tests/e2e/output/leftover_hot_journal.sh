# --force over an output with a hot -journal, left by a writer killed in the middle of a
# transaction after it had written pages into the file: the journal is removed before the rename
# (with the old file, which needed it), so that SQLite does not roll the new file back with the
# old file's pages: exit 0, the exact rows, integrity_check ok.
. "$(dirname "$0")/../common.inc"
cp primary.db out.db
open_session out.db
# A cache of two pages: the update spills its pages into out.db before any commit.
say "PRAGMA cache_size = 2;" "BEGIN;" \
  "UPDATE click_events SET user_agent = user_agent || hex(randomblob(200));"
kill_session
test -s out.db-journal
$hm --force primary.db secondary.db -o out.db > /dev/null 2> err
assert_eq 465 "$(rows out.db)" "rows out"
assert_eq ok "$(sqlite3 out.db 'PRAGMA integrity_check')" "integrity_check"
test -z "$(ls out.db-* 2>/dev/null)"
grep -q "removed out.db-journal, left by an earlier database that no process uses (SQLite would have applied them to the new out.db), and the old out.db, which needed them" err
no_leftovers
