# SIGINT once 37 private copies exist (a dry run of 36 secondaries, --max-lock-hold): every one
# is removed (found by a breaker: the registry had 32 slots, and 5 copies were left).
. "$(dirname "$0")/../faults.inc"
. "$(dirname "$0")/../lock_hold.inc"
. "$(dirname "$0")/../common.inc"
secondaries=""
for i in $(seq 1 36); do
  cp secondary.db "s$i.db"
  secondaries="$secondaries s$i.db"
done
mkdir spill
caught=""
for attempt in 1 2 3 4 5; do
  rm -f spill/.heatmap-merge-snapshot-*
  # shellcheck disable=SC2086 # the list of secondaries
  TMPDIR=$PWD/spill env --default-signal=INT $hm -q -n --max-lock-hold 1ms primary.db \
    $secondaries > /dev/null 2> err &
  pid=$!
  while [ "$(ls -A spill | grep -cF '.heatmap-merge-snapshot-')" -lt 37 ] &&
    kill -0 "$pid" 2>/dev/null; do
    :
  done
  interrupt_if "$pid" '[ "$(ls -A spill | grep -cF .heatmap-merge-snapshot-)" -ge 37 ]'
  set +e
  wait "$pid"
  got=$?
  set -e
  [ -z "$caught" ] || break
done
[ -n "$caught" ] || skip "no run was caught with its 37 copies, in 5 tries"
assert_eq 130 "$got" "exit status after SIGINT"
no_private_copies spill
