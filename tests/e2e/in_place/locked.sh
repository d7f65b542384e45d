# Two runs never work on one primary at once: the second exits 75 and touches nothing.
. "$(dirname "$0")/../common.inc"
before=$(cksum primary.db)
# flock(1) holds the lock a first run would hold.
flock .primary.db.lock sleep 5 &
holder=$!
sleep 0.3
expect_exit 75 $hm --in-place primary.db secondary.db
grep -q 'another heatmap-merge is writing primary.db' err
kill "$holder"
assert_eq "$before" "$(cksum primary.db)" "primary"
test -z "$(ls | grep '^primary.db.backup-' || true)"
