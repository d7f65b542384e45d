# A patch that cannot be written (standard output on a full device) ends the run with exit 74 and
# says so, with the cause: never exit 0 with a patch cut short.
. "$(dirname "$0")/../common.inc"
[ -c /dev/full ] || skip "no /dev/full"
set +e
$hm -n --format sql primary.db secondary.db > /dev/full 2> err
got=$?
set -e
assert_eq 74 "$got" "exit status"
grep -q '^heatmap-merge: error: cannot write the patch to standard output: No space left on device$' err
