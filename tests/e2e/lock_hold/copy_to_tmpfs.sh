# --max-lock-hold: a private copy made on another file system than the input's (a dry run's
# TMPDIR on a tmpfs, or an output there), where copy_file_range cannot copy, goes at the speed of
# read and write, not at the 60-100 MiB/s of a fresh buffer a MiB, which gave up every such run
# with exit 75 ("copying ... under the lock took longer than --max-lock-hold").
. "$(dirname "$0")/../lock_hold.inc"
. "$(dirname "$0")/../common.inc"
[ "$(stat -f -c %T /dev/shm 2>/dev/null)" = tmpfs ] && [ -w /dev/shm ] ||
  skip "no writable tmpfs at /dev/shm"
spill=$(mktemp -d /dev/shm/heatmap-merge-e2e.XXXXXX)
at_exit "rm -rf \"$spill\""
# About 123 MB: read in place about 0.96 s at the 128 MiB/s assumed, past the 800 ms given.
outage_rows secondary.db 30000
set +e
TMPDIR=$spill $hm -v -n --format json --max-lock-hold 800ms primary.db secondary.db \
  > dry.json 2> dry.log
status=$?
set -e
[ "$status" = 0 ] || { skip_if_slow_copy dry.log; cat dry.log >&2; exit 1; }
grep -q 'copied .*secondary.db in .* under its read lock' dry.log
no_private_copies "$spill"
