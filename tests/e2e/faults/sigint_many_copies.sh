# SIGINT just as the first of several private copies appears (--max-lock-hold): the other copies
# are still being created on the main thread while the handler runs on another; none is left
# (found by a breaker: 19 of 40 runs left a 0-byte copy, created between the handler's removals
# and the end of the process). 100 runs.
. "$(dirname "$0")/../faults.inc"
. "$(dirname "$0")/../lock_hold.inc"
. "$(dirname "$0")/../common.inc"
for i in 1 2 3 4 5 6; do cp secondary.db "s$i.db"; done
mkdir spill
run=0
while [ "$run" -lt 100 ]; do
  run=$((run + 1))
  TMPDIR=$PWD/spill env --default-signal=INT $hm -q -n --max-lock-hold 1ms \
    primary.db s1.db s2.db s3.db s4.db s5.db s6.db > /dev/null 2> err &
  pid=$!
  while ! ls -A spill | grep -qF '.heatmap-merge-snapshot-' && kill -0 "$pid" 2>/dev/null; do
    :
  done
  kill -INT "$pid" 2>/dev/null || true
  set +e
  wait "$pid"
  set -e
  no_private_copies spill
done
