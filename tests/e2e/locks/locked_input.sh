# A rollback-journal secondary held under an exclusive lock by a writer: with --lock-timeout 1 the
# run gives up within a few seconds with exit 75, says the file is locked and to try again, and
# leaves no output; the writer's transaction is untouched.
. "$(dirname "$0")/../faults.inc"
. "$(dirname "$0")/../common.inc"
test "$(sqlite3 secondary.db 'PRAGMA journal_mode')" = delete
# The writer reads its SQL from a FIFO that this script keeps open: closing it ends the writer,
# which then rolls back as a service would on shutdown.
mkfifo writer.sql
sqlite3 secondary.db < writer.sql > writer.out &
writer=$!
exec 3> writer.sql
echo 'BEGIN EXCLUSIVE;' >&3
echo "INSERT INTO click_events(page_url, x, y, created_at) VALUES ('/locked', 1, 1, '2026-03-01T00:00:00');" >&3
echo "SELECT 'locked';" >&3
n=0
until grep -q locked writer.out 2>/dev/null; do
  n=$((n + 1)); [ "$n" -lt 500 ] || { echo "the writer never took the lock" >&2; exit 1; }
  sleep 0.01
done
start=$(date +%s)
expect_exit 75 timeout 20 $hm --lock-timeout 1 primary.db secondary.db -o out.db
took=$(( $(date +%s) - start ))
grep -q "secondary.db" err
grep -E -q "locked.*try again later" err
test "$took" -le 5 || { echo "took $took s to give up" >&2; exit 1; }
test ! -e out.db
test -z "$(temps out.db)"
exec 3>&-
wait "$writer"
rm writer.sql
assert_eq 0 "$(rows secondary.db "page_url = '/locked'")" "the writer's uncommitted row"
no_leftovers
