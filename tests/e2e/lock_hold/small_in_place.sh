# --max-lock-hold beside the service, with a rollback-journal secondary small enough to read in
# place within the budget: --in-place copies it all the same, since read in place its lock would
# last through the paced transactions on the live primary, each as long as its flushes (here
# 1.5 s a flush). The service's clicks on the secondary wait well under the budget.
. "$(dirname "$0")/../lock_hold.inc"
. "$(dirname "$0")/../common.inc"
test -f "$BUILD_DIR/tests/libslow_fsync.so" || skip "no libslow_fsync.so in $BUILD_DIR/tests"
outage_rows secondary.db 2000 # about 8 MB: 0.07 s of lock at the 128 MiB/s assumed
"$LIVE_WRITER" --rate 20 secondary.db 6 /live > writer.out 2> writer.err &
writer=$!
sleep 0.5
set +e
LD_PRELOAD=$BUILD_DIR/tests/libslow_fsync.so SLOW_FSYNC_MS=1500 \
  ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0" \
  $hm -v --in-place --max-lock-hold 550ms primary.db secondary.db > report 2> log
status=$?
set -e
wait "$writer" || { cat writer.out writer.err log >&2; exit 1; }
[ "$status" = 0 ] || { skip_if_slow_copy log; cat log >&2; exit 1; }
grep -q "secondary.db uses a rollback journal: read in place, the run would hold its read lock through the paced writes into the live primary" log
worst=$(sed -n 's/^live_writer .* worst_ms=\([0-9]*\).*/\1/p' writer.out)
if [ "$worst" -ge 1000 ]; then
  echo "the writer waited $worst ms (budget 550 ms):" >&2
  cat writer.out log >&2
  exit 1
fi
assert_eq "$(sqlite3 primary.db "SELECT count(*) FROM click_events WHERE page_url LIKE '/big/%'")" 2000 \
  "the secondary's outage rows in the primary"
no_leftovers
no_private_copies .
