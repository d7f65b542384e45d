# SIGINT while a rollback-journal input is being copied under its lock (--max-lock-hold): the run
# ends by the signal (exit status 130) and removes the private copy, which has a name until SQLite
# has opened it. The run is stopped (SIGSTOP) as soon as the copy appears, so that the interrupt
# is sure to meet it; a run whose copy was gone by then is tried again.
. "$(dirname "$0")/../faults.inc"
. "$(dirname "$0")/../lock_hold.inc"
. "$(dirname "$0")/../common.inc"
# About 123 MB: read in place about 0.96 s at the 128 MiB/s assumed, past the 800 ms given.
outage_rows secondary.db 30000
mkdir spill
copies() {
  ls -A spill | grep -F '.heatmap-merge-snapshot-' || true
}
caught=""
for attempt in 1 2 3 4 5; do
  TMPDIR=$PWD/spill env --default-signal=INT $hm -q -n --max-lock-hold 800ms \
    primary.db secondary.db > /dev/null 2> err &
  pid=$!
  while [ -z "$(copies)" ] && kill -0 "$pid" 2>/dev/null; do
    :
  done
  interrupt_if "$pid" '[ -n "$(copies)" ]'
  set +e
  wait "$pid"
  got=$?
  set -e
  [ -z "$caught" ] || break
  [ "$got" = 75 ] && skip_if_slow_copy err
done
[ -n "$caught" ] || skip "no run was caught while copying, in 5 tries"
assert_eq 130 "$got" "exit status after SIGINT"
no_private_copies spill
