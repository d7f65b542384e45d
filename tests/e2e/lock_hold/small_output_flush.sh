# --max-lock-hold beside the service, with a rollback-journal secondary small enough to read in
# place within the budget: -o copies it all the same, since read in place its lock would last
# through the output's flush, which a slow disk makes seconds long (here 1.5 s a flush). The
# service's clicks on the secondary wait well under the budget.
. "$(dirname "$0")/../lock_hold.inc"
. "$(dirname "$0")/../common.inc"
need_slow_fsync
outage_rows secondary.db 2000 # about 8 MB: 0.07 s of lock at the 128 MiB/s assumed
start_writer secondary.db 6
with_slow_fsync -v -o out.db --max-lock-hold 550ms primary.db secondary.db
wait_for_writer log
[ "$status" = 0 ] || { skip_if_slow_copy log; cat log >&2; exit 1; }
grep -q "secondary.db uses a rollback journal: read in place, the run would hold its read lock through the output's flush to disk" log
writer_waited_under 1000 log # the budget, a busy handler's sleep, the click's own commit
# Every click the writer made before the snapshot is in the output, once.
assert_eq "$(sqlite3 out.db "SELECT count(*) FROM click_events WHERE page_url LIKE '/big/%'")" 2000 \
  "the secondary's outage rows in the output"
no_leftovers
no_private_copies .
