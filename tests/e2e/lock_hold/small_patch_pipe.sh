# --max-lock-hold beside the service, with a rollback-journal secondary small enough to read in
# place within the budget: a dry run's --format sql copies it all the same, since read in place
# its lock would last until whatever reads the patch has read it (here a reader that waits 2 s).
# The service's clicks on the secondary wait well under the budget.
. "$(dirname "$0")/../lock_hold.inc"
. "$(dirname "$0")/../common.inc"
outage_rows secondary.db 2000 # about 8 MB, a 4 MB patch: far more than a pipe holds
start_writer secondary.db 6
set +e
{ TMPDIR=$PWD $hm -v -n --format sql --max-lock-hold 550ms primary.db secondary.db 2> log
  echo $? > status; } | { sleep 2; cat > patch.sql; }
set -e
wait_for_writer log
[ "$(cat status)" = 0 ] || { skip_if_slow_copy log; cat log >&2; exit 1; }
grep -q "secondary.db uses a rollback journal: read in place, the run would hold its read lock through the writing of the patch to its reader" log
writer_waited_under 1000 log # the budget, a busy handler's sleep, the click's own commit
sqlite3 primary.db < patch.sql > /dev/null
assert_eq "$(sqlite3 primary.db "SELECT count(*) FROM click_events WHERE page_url LIKE '/big/%'")" 2000 \
  "the secondary's outage rows, patched in"
no_private_copies .
