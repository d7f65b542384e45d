# --force over an output that a program still has open, with its -journal or its -wal and -shm
# beside it: refused with exit 75, naming the process and the file it locks, before anything is
# read; the old output and its companions stay as they were. Once the program has closed it, the
# same run replaces it.
. "$(dirname "$0")/../common.inc"
cp primary.db out.db
# A writer in the middle of a transaction: its -journal beside out.db.
open_session out.db
say "BEGIN IMMEDIATE;" "DELETE FROM click_events WHERE id % 3 = 0;"
test -e out.db-journal
before=$(cat out.db out.db-journal | cksum)
expect_exit 75 $hm --force primary.db secondary.db -o out.db
grep -q "out.db is still in use: process $session holds a lock on out.db; nothing was changed; try again once that program has closed it" err
assert_eq "$before" "$(cat out.db out.db-journal | cksum)" "old output and journal"
close_session "COMMIT;"
assert_eq 267 "$(rows out.db)" "rows of the old output, committed"
# An idle connection in WAL mode: its -wal and -shm beside out.db.
open_session out.db
say "PRAGMA journal_mode = WAL;" "INSERT INTO click_events SELECT * FROM click_events WHERE 0;"
test -e out.db-shm
before=$(cat out.db out.db-wal | cksum)
expect_exit 75 $hm --force primary.db secondary.db -o out.db
grep -q "out.db is still in use: process $session holds a lock on out.db" err
assert_eq "$before" "$(cat out.db out.db-wal | cksum)" "old output and -wal"
no_leftovers
close_session
$hm --force primary.db secondary.db -o out.db > /dev/null
assert_eq 465 "$(rows out.db)" "rows out"
assert_eq ok "$(sqlite3 out.db 'PRAGMA integrity_check')" "integrity_check"
no_leftovers
