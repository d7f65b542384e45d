# --force over an output that a program still has open, with its -journal or its -wal and -shm
# beside it: refused with exit 75, naming the process and the file it locks, before anything is
# read; the old output and its companions stay as they were. Once the program has closed it, the
# same run replaces it.
. "$(dirname "$0")/common.inc"
cp primary.db out.db
mkfifo feed
# hold MODE_SQL...: starts a sqlite3 on out.db that runs the statements and stays open.
hold() {
  sqlite3 out.db < feed > writer.out 2>&1 &
  writer=$!
  exec 3> feed
  printf '%s\n' "$@" "SELECT 'written';" >&3
  n=0
  until grep -q written writer.out; do
    n=$((n + 1))
    [ "$n" -lt 200 ] || { echo "the writer did not start" >&2; exit 1; }
    sleep 0.05
  done
}
release() {
  printf '%s\n' "$@" ".quit" >&3
  exec 3>&-
  wait "$writer"
  rm writer.out
}
# A writer in the middle of a transaction: its -journal beside out.db.
hold "BEGIN IMMEDIATE;" "DELETE FROM click_events WHERE id % 3 = 0;"
test -e out.db-journal
before=$(cat out.db out.db-journal | cksum)
expect_exit 75 $hm --force primary.db secondary.db -o out.db
grep -q "out.db is still in use: process $writer holds a lock on out.db; nothing was changed; try again once that program has closed it" err
assert_eq "$before" "$(cat out.db out.db-journal | cksum)" "old output and journal"
release "COMMIT;"
assert_eq 267 "$(rows out.db)" "rows of the old output, committed"
# An idle connection in WAL mode: its -wal and -shm beside out.db.
hold "PRAGMA journal_mode = WAL;" "INSERT INTO click_events SELECT * FROM click_events WHERE 0;"
test -e out.db-shm
before=$(cat out.db out.db-wal | cksum)
expect_exit 75 $hm --force primary.db secondary.db -o out.db
grep -q "out.db is still in use: process $writer holds a lock on out.db" err
assert_eq "$before" "$(cat out.db out.db-wal | cksum)" "old output and -wal"
no_leftovers
release
$hm --force primary.db secondary.db -o out.db > /dev/null
assert_eq 465 "$(rows out.db)" "rows out"
assert_eq ok "$(sqlite3 out.db 'PRAGMA integrity_check')" "integrity_check"
no_leftovers
