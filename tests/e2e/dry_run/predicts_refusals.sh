# A dry run with -o predicts the real run's refusals of the output, with the same exit status and
# message: an existing file without --force (73), a missing directory (73), the primary's own name
# (64).
. "$(dirname "$0")/../common.inc"
echo precious > out.db
check() {
  code=$1
  shift
  expect_exit "$code" $hm "$@" primary.db secondary.db
  cp err real.err
  expect_exit "$code" $hm -n "$@" primary.db secondary.db
  cmp real.err err || { echo "the dry run's message differs: $*" >&2; cat real.err err >&2; exit 1; }
}
check 73 -o out.db
grep -q 'out.db already exists' err
check 73 -o missing/out.db
grep -q 'no such directory' err
check 64 -o primary.db
grep -q 'is the input' err
check 64 -o ./secondary.db
assert_eq precious "$(cat out.db)" "existing output"
# With --force the dry run of an existing output goes on, as the real run does.
$hm -n -f -o out.db primary.db secondary.db > report
grep -q 'would add 65 rows' report
